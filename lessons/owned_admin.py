"""Ownership in the teacher's workspace, for every admin of authored content.

A teacher edits, publishes, unpublishes and deletes only what they own or co-own
(`OwnedQuerySet.editable_by`); others' published content is read-only (every field, no
delete, no publish action); others' unpublished content is invisible (`seen_by`).
Superusers see and edit everything. Content that learners' work hangs on (attempts,
assignments) is never deleted from the admin: the confirmation page says so, and why,
without naming anything of another teacher's."""

from django.contrib.admin.utils import NestedObjects
from django.db import router

# The rows whose existence makes content "in use": labels, not imports (lessons sits
# below the apps that define them).
IN_USE_MODELS = {"quizzes.attempt": "attempts", "classes.assignment": "assignments"}


def in_use(objs) -> list[str]:
    """Why each of `objs` cannot be deleted: the learners' work its deletion would take."""
    reasons = []
    for obj in objs:
        collector = NestedObjects(using=router.db_for_write(type(obj)))
        collector.collect([obj])
        found = [
            name
            for model in collector.model_objs
            if (name := IN_USE_MODELS.get(model._meta.label_lower))
        ]
        if found:
            reasons.append(
                f"“{obj}” has {' and '.join(sorted(found))}: it cannot be deleted. "
                "Archive its quizzes instead (their results stay)."
            )
    return reasons


class OwnedAdminMixin:
    """For the admin of an `Owned` model (Lesson, Quiz)."""

    def get_queryset(self, request):
        return super().get_queryset(request).seen_by(request.user)

    def _editable(self, request, obj) -> bool:
        return obj is None or obj.is_editable_by(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("owner")
            if obj is not None and obj.owner_id != request.user.pk:
                fields.append("co_owners")  # the owner chooses their co-owners
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "co_owners":
            from django.contrib.auth import get_user_model

            kwargs["queryset"] = (
                get_user_model().objects.filter(is_staff=True).exclude(pk=request.user.pk)
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change and (obj.owner_id is None or not request.user.is_superuser):
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        reasons = in_use(objs)
        if reasons:
            # Refused: the page lists only these reasons, never the related rows (which
            # would name other teachers' classes).
            return [], {}, set(), reasons
        return deleted, counts, perms_needed, protected

    def editable_only(self, request, queryset, verb: str):
        """The part of an action's selection the user may change; says what was left."""
        editable = queryset.editable_by(request.user)
        refused = queryset.count() - editable.count()
        if refused:
            self.message_user(
                request,
                f"{refused} selected item(s) are not yours: not {verb}. Duplicate them to "
                "make them yours.",
                "warning",
            )
        return editable


class OwnedInlineMixin:
    """An inline of an owned object: read-only when the object is not the user's."""

    def _editable(self, request, obj):
        return obj is None or obj.is_editable_by(request.user)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(request, obj)


class OwnedThroughAdminMixin:
    """For the admin of a part of owned content (a source, section or claim of a lesson; a
    question of a quiz): what its `owner_path` row allows."""

    owner_path = "lesson"

    def _owner_model(self):
        return self.model._meta.get_field(self.owner_path).related_model

    def get_queryset(self, request):
        seen = self._owner_model().objects.seen_by(request.user)
        return super().get_queryset(request).filter(**{f"{self.owner_path}__in": seen})

    def _editable(self, request, obj):
        return obj is None or getattr(obj, self.owner_path).is_editable_by(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.owner_path:
            kwargs["queryset"] = self._owner_model().objects.editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
