"""The teacher's classes in the admin: classes, their join codes and assignments, and
the pieces that scope results to a teacher's own students (the 404 outside scope, the
class filter), which `reports/admin.py` applies to attempts and responses."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html

from quizzes.models import Quiz

from .accommodations_admin import AccommodationInline, AssignmentOverrideInline
from .admin_inputs import NamedDeleteFormSet, datetime_input
from .models import Assignment, Classroom


class NotFoundOutsideScope:
    """An object outside the user's scope is a 404, never a hint that it exists."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such object, or not yours.")
        return obj


class ClassroomFilter(admin.SimpleListFilter):
    title = "class"
    parameter_name = "classroom"
    learner_path = "learner"

    def lookups(self, request, model_admin):
        return [(c.pk, c.name) for c in Classroom.objects.taught_by(request.user)]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if not (self.value().isascii() and self.value().isdigit()):  # ?classroom=abc: none
            return queryset.none()
        classroom = Classroom.objects.taught_by(request.user).filter(pk=self.value()).first()
        if classroom is None:
            return queryset.none()
        return queryset.filter(**{f"{self.learner_path}__in": classroom.students.values("id")})


class ResponseClassroomFilter(ClassroomFilter):
    learner_path = "attempt__learner"


def assignable_quizzes(user, *, kept=()):
    """What a teacher may assign: quizzes they see in the workspace (their own, others'
    published ones), not archived, with their lessons for the labels; and the quizzes
    `kept` (already assigned where the form edits), so that archiving one never makes
    its class unsavable."""
    keep = Q(pk__in=Quiz.objects.assignable(user).values("pk")) | Q(pk__in=kept)
    return Quiz.objects.filter(keep).select_related("lesson")


def _object_id(request):
    object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
    return int(object_id) if object_id and str(object_id).isdigit() else None


def _learner_label(user):
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


# --- classes ------------------------------------------------------------------------------


class AssignmentForm(forms.ModelForm):
    """Plain inputs with their own names: no script needed, and each field named for a
    screen reader even in the inline table. (Declared here: the admin would otherwise make
    them split date and time fields.)"""

    opens_at = forms.DateTimeField(label="Opens at", widget=datetime_input("Opens at"))
    due_at = forms.DateTimeField(label="Due at", widget=datetime_input("Due at"))
    # Left out of a post (an older form, a script): refuse late work, the model's default.
    late_policy = forms.TypedChoiceField(
        label="After the due date",
        choices=Assignment.LatePolicy.choices,
        required=False,
        empty_value=Assignment.LatePolicy.REFUSE,
        initial=Assignment.LatePolicy.REFUSE,
        widget=forms.Select(attrs={"aria-label": "After the due date"}),
    )

    class Meta:
        model = Assignment
        fields = ["quiz", "opens_at", "due_at", "late_policy"]
        widgets = {"quiz": forms.Select(attrs={"aria-label": "Quiz"})}


class AssignmentFormSet(NamedDeleteFormSet):
    delete_label = "Remove this assignment"


class AssignmentInline(admin.TabularInline):
    template = "admin/edit_inline/tabular_named.html"
    model = Assignment
    form = AssignmentForm
    formset = AssignmentFormSet
    extra = 1
    fields = ["quiz", "opens_at", "due_at", "late_policy", "report"]
    readonly_fields = ["report"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "quiz":
            kept = Assignment.objects.filter(classroom_id=_object_id(request)).values("quiz_id")
            kwargs["queryset"] = assignable_quizzes(request.user, kept=kept)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="results")
    def report(self, obj):
        if not obj.pk:
            return ""
        return format_html(
            '<a href="{}?classroom={}">Report for this class</a><br>'
            '<a href="{}">Dates for one student</a>',
            reverse("admin:quizzes_quiz_report", args=[obj.quiz_id]),
            obj.classroom_id,
            reverse("admin:classes_assignment_change", args=[obj.pk]),
        )


class ClassroomForm(forms.ModelForm):
    class Meta:
        model = Classroom
        fields = ["name", "teacher", "students"]
        help_texts = {
            "students": (
                "Students join with the class code. To take a student out of the class, "
                "untick them and save."
            ),
        }


@admin.register(Classroom)
class ClassroomAdmin(NotFoundOutsideScope, admin.ModelAdmin):
    form = ClassroomForm
    list_display = ["name", "teacher", "student_count", "code", "assignment_count"]
    search_fields = ["name"]
    # Explicit: the counts' GROUP BY drops Meta.ordering, and the autocomplete's
    # paginator refuses an unordered list.
    ordering = ["name", "id"]
    readonly_fields = ["code", "join_instructions"]
    filter_horizontal = ["students"]
    inlines = [AssignmentInline, AccommodationInline]
    actions = ["regenerate_codes"]

    def get_inlines(self, request, obj):
        # Accommodations are for the class's students: none before the class exists.
        return self.inlines if obj else [AssignmentInline]

    class Media:
        css = {"all": ["css/teacher.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .taught_by(request.user)
            .select_related("teacher")
            .annotate(
                student_total=Count("students", distinct=True),
                assignment_total=Count("assignments", distinct=True),
            )
        )

    def get_list_display(self, request):
        fields = list(super().get_list_display(request))
        if not request.user.is_superuser:
            fields.remove("teacher")
        return fields

    def get_fields(self, request, obj=None):
        fields = ["name", "teacher", "code", "join_instructions", "students"]
        if not request.user.is_superuser:
            fields.remove("teacher")
        if obj is None:
            fields = [f for f in fields if f not in ("code", "join_instructions", "students")]
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "students" and not request.user.is_superuser:
            # A teacher only ever removes students here: a ticked list says it plainly.
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "students" in form.base_fields:
            users = get_user_model().objects.order_by("username")
            if request.user.is_superuser:
                qs = users.filter(is_staff=False)
            else:
                # A teacher chooses only among the class's own students (to remove one);
                # other accounts of the school stay private.
                qs = users.filter(pk__in=obj.students.values("id")) if obj else users.none()
            field = form.base_fields["students"]
            field.queryset = qs
            field.label_from_instance = _learner_label
        return form

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            obj.teacher = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="students", ordering="student_total")
    def student_count(self, obj):
        return obj.student_total

    @admin.display(description="assigned quizzes", ordering="assignment_total")
    def assignment_count(self, obj):
        return obj.assignment_total

    @admin.display(description="join code")
    def code(self, obj):
        return obj.display_code if obj and obj.pk else "—"

    @admin.display(description="how students join")
    def join_instructions(self, obj):
        if not obj or not obj.pk:
            return "Save the class to get its join code."
        return format_html(
            "New students sign up at <code>{}</code> with the code <strong>{}</strong> (or "
            "follow the link <code>{}</code>, which fills the code in); students who have an "
            "account join at <code>{}</code>. To stop the code working, use the action "
            "“Give the selected classes a new join code” in the list of classes. "
            '<a href="{}">Print a handout</a> with the link, the code and a QR code. '
            'Students who forget a password or are locked out: <a href="{}">the class\'s '
            "logins</a> (reset a password, unlock).",
            reverse("classes:signup"),
            obj.display_code,
            obj.get_join_url(),
            reverse("classes:join"),
            reverse("classes:handout", args=[obj.pk]),
            reverse("accounts:classroom_students", args=[obj.pk]),
        )

    @admin.action(description="Give the selected classes a new join code", permissions=["change"])
    def regenerate_codes(self, request, queryset):
        for classroom in queryset:
            classroom.regenerate_join_code()
            self.message_user(
                request,
                f"“{classroom.name}” now has the join code {classroom.display_code}; "
                "the old code no longer works.",
                messages.SUCCESS,
            )


@admin.register(Assignment)
class AssignmentAdmin(NotFoundOutsideScope, admin.ModelAdmin):
    form = AssignmentForm
    fields = ["classroom", "quiz", "opens_at", "due_at", "late_policy"]
    list_display = ["quiz", "classroom", "opens_at", "due_at", "late_policy"]
    # Only the classes in the list (the teacher's own): never another teacher's names.
    list_filter = [("classroom", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["quiz", "classroom"]
    inlines = [AssignmentOverrideInline]

    def get_inlines(self, request, obj):
        # One student's dates: on a saved assignment, whose class's students are known.
        return self.inlines if obj else []

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(classroom__teacher=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "classroom":
            kwargs["queryset"] = Classroom.objects.taught_by(request.user)
        if db_field.name == "quiz":
            kept = Assignment.objects.filter(pk=_object_id(request)).values("quiz_id")
            kwargs["queryset"] = assignable_quizzes(request.user, kept=kept)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
