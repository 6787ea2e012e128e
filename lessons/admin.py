from django.contrib import admin
from django.db.models import Count

from .models import Claim, Section, Source
from .owned_admin import OwnedAdminMixin, OwnedInlineMixin, OwnedThroughAdminMixin

OWNERSHIP_FIELDS = ["open_to_all", "owner", "co_owners"]


class SectionInline(OwnedInlineMixin, admin.StackedInline):
    model = Section
    extra = 0
    fields = ["order", "key", "title", "body"]
    show_change_link = True


class ClaimInline(OwnedInlineMixin, admin.StackedInline):
    model = Claim
    extra = 0
    fields = [
        ("order", "key"),
        ("section", "source"),
        ("cue", "kind"),
        "content",
        "quoted",
        "evidence",
    ]
    autocomplete_fields = ["source"]
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only this lesson's sections.
        lesson_id = request.resolver_match.kwargs.get("object_id")
        if db_field.name == "section":
            kwargs["queryset"] = Section.objects.filter(lesson_id=lesson_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LessonAdmin(OwnedAdminMixin, admin.ModelAdmin):
    """Registered by `bundle/admin.py`, which adds the bundle import and download, and
    the action "Duplicate into my lessons" (which copies the quizzes too)."""

    list_display = [
        "title",
        "slug",
        "published",
        "section_count",
        "claim_count",
        "updated_at",
    ]
    list_filter = ["published", "open_to_all"]
    search_fields = ["title", "slug", "summary"]
    filter_horizontal = ["co_owners"]
    ordering = ["title", "id"]  # explicit: the counts' GROUP BY drops Meta.ordering
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SectionInline, ClaimInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "objectives", "published"]}),
        ("Who uses and edits it", {"fields": OWNERSHIP_FIELDS}),
        (
            "The article",
            {
                "fields": [
                    "article_title",
                    "article_publisher",
                    "article_byline",
                    "article_date",
                    "article_note",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                section_total=Count("sections", distinct=True),
                claim_total=Count("claims", distinct=True),
            )
        )

    @admin.display(description="sections", ordering="section_total")
    def section_count(self, obj):
        return obj.section_total

    @admin.display(description="claims", ordering="claim_total")
    def claim_count(self, obj):
        return obj.claim_total


LESSON_FILTER = ("lesson", admin.RelatedOnlyFieldListFilter)


@admin.register(Source)
class SourceAdmin(OwnedThroughAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "side", "parent", "lesson"]
    list_filter = [LESSON_FILTER, "kind", "side"]
    search_fields = ["name", "key", "description"]
    list_select_related = ["parent", "lesson"]
    autocomplete_fields = ["parent"]


@admin.register(Section)
class SectionAdmin(OwnedThroughAdminMixin, admin.ModelAdmin):
    list_display = ["title", "lesson", "order"]
    list_filter = [LESSON_FILTER]
    search_fields = ["title", "body"]
    list_select_related = ["lesson"]


@admin.register(Claim)
class ClaimAdmin(OwnedThroughAdminMixin, admin.ModelAdmin):
    list_display = ["short_content", "source", "cue", "kind", "section"]
    list_filter = [
        LESSON_FILTER,
        "kind",
        "source__side",
        ("section", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["content", "quoted", "evidence", "cue", "source__name"]
    list_select_related = ["source", "section"]
    autocomplete_fields = ["source"]

    @admin.display(description="content")
    def short_content(self, obj):
        return obj.content[:80]
