"""What students read: a lesson built from one article, its voices and who said what."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.text import slugify

# Keys travel in lesson bundles and URLs; SlugField alone would also take capitals and
# underscores, which a bundle refuses.
validate_key = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "Use lowercase letters, digits and single hyphens, e.g. “diaz-canel”.",
    code="invalid_key",
)


class OwnedQuerySet(models.QuerySet):
    """Authored content (lessons, quizzes) in the teacher's workspace: who may edit what,
    and who sees what. The one rule; `Owned.is_editable_by` asks it for one row."""

    def editable_by(self, user):
        """What `user` may edit, publish, unpublish and delete: everything for a
        superuser, what they own or co-own for anyone else."""
        if user.is_superuser:
            return self.all()
        co_owned = self.model.co_owners.through.objects.filter(user=user).values(
            self.model.co_owners.field.m2m_field_name()
        )
        return self.filter(models.Q(owner=user) | models.Q(pk__in=co_owned))

    def seen_by(self, user):
        """What `user` sees in the workspace: what they may edit, and others' published
        content (read-only). Others' unpublished content is invisible."""
        if user.is_superuser:
            return self.all()
        return self.filter(
            models.Q(pk__in=self.editable_by(user).values("pk")) | models.Q(published=True)
        )


class Owned(models.Model):
    """An owner and co-owners. Nobody's content (the shipped lesson) is read-only for
    teachers and editable by superusers; teachers duplicate it to make it theirs."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"is_staff": True},
        help_text="Who edits, publishes and deletes it. Empty: only superusers may.",
    )
    co_owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        limit_choices_to={"is_staff": True},
        help_text="Teachers who may edit it as the owner does.",
    )
    open_to_all = models.BooleanField(
        default=False,
        help_text="Every signed-in learner may use it, without an assignment to a class.",
    )

    class Meta:
        abstract = True

    def is_editable_by(self, user) -> bool:
        if user.is_superuser or self.pk is None:
            return True
        if self.owner_id is not None and self.owner_id == user.pk:
            return True
        return type(self).objects.editable_by(user).filter(pk=self.pk).exists()


KEY_LENGTH = 50  # SlugField's default


def make_key(text: str, taken, *, fallback: str = "item", max_length: int = KEY_LENGTH) -> str:
    """A key made from `text` (django.utils.text.slugify, accents dropped, whole words up to
    40 characters) that passes validate_key and is not in `taken`: "-2", "-3" … when it is."""
    words = re.sub(r"[-_]+", "-", slugify(text)).strip("-").split("-")
    base = ""
    for word in words:
        if word and len(f"{base}-{word}") > 40 and base:
            break
        base = f"{base}-{word}" if base else word
    base = base[: max_length - 4].strip("-") or fallback
    taken = set(taken)
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


class KeyedModel(models.Model):
    """A model whose `key` a teacher need not type: left empty, it is made on save from
    the item's name (KEY_FROM), unique among the items of the same holder (KEY_WITHIN)."""

    KEY_FIELD = "key"
    KEY_FROM = "name"
    KEY_WITHIN: str | None = "lesson"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not getattr(self, self.KEY_FIELD):
            siblings = type(self)._default_manager.all()
            if self.KEY_WITHIN:
                siblings = siblings.filter(
                    **{f"{self.KEY_WITHIN}_id": getattr(self, f"{self.KEY_WITHIN}_id")}
                )
            taken = siblings.exclude(pk=self.pk).values_list(self.KEY_FIELD, flat=True)
            text = str(getattr(self, self.KEY_FROM) or "")
            key = make_key(text, taken, fallback=self._meta.model_name)
            setattr(self, self.KEY_FIELD, key)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], self.KEY_FIELD}
        super().save(*args, **kwargs)


class LessonQuerySet(OwnedQuerySet):
    def published(self):
        return self.filter(published=True)


class Lesson(KeyedModel, Owned):
    KEY_FIELD, KEY_FROM, KEY_WITHIN = "slug", "title", None

    slug = models.SlugField(unique=True, validators=[validate_key])
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    objectives = models.TextField(blank=True, help_text="Learning objectives, one per line.")
    article_title = models.CharField(max_length=300, blank=True)
    article_publisher = models.CharField(max_length=200, blank=True)
    article_byline = models.CharField(max_length=300, blank=True)
    article_date = models.CharField(max_length=100, blank=True)
    article_note = models.TextField(
        blank=True, help_text="Where the facts come from; what the article cites and does not."
    )
    article_url = models.URLField(max_length=2000, blank=True)
    source_text = models.TextField(
        blank=True,
        help_text="The article as the teacher pasted it, word for word (kept in the database, "
        "never in the repository; students read the sections).",
    )
    published = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LessonQuerySet.as_manager()

    class Meta(Owned.Meta):
        abstract = False
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("lessons:detail", args=[self.slug])

    @property
    def objective_list(self):
        return [line.strip() for line in self.objectives.splitlines() if line.strip()]


class Source(KeyedModel):
    """Who speaks in the article: a person, a body, a medium, a group, an unnamed voice,
    or the article itself."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        INSTITUTION = "institution", "Institution"
        MEDIA = "media", "Media"
        GROUP = "group", "Group"
        UNNAMED = "unnamed", "Unnamed source"
        ARTICLE = "article", "The article itself"

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="sources")
    key = models.SlugField(validators=[validate_key])
    order = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        help_text="The body this source speaks for.",
    )
    side = models.CharField(
        max_length=100, help_text="Sources with the same side share a position."
    )
    description = models.CharField(max_length=300, blank=True)
    aliases = models.TextField(
        blank=True,
        help_text="Other names the article uses for this source (e.g. “Havana”), one per line.",
    )

    class Meta:
        ordering = ["lesson", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "key"], name="source_key_unique_per_lesson"),
        ]

    def __str__(self):
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def clean(self):
        if self.parent_id is None:
            return
        if self.parent.lesson_id != self.lesson_id:
            raise ValidationError(
                {
                    "parent": ValidationError(
                        "The parent must be a source of the same lesson.", code="other_lesson"
                    )
                }
            )
        seen = {self.pk}
        node = self.parent
        while node is not None:
            if node.pk in seen:
                raise ValidationError(
                    {
                        "parent": ValidationError(
                            "A source cannot be its own ancestor.", code="parent_cycle"
                        )
                    }
                )
            seen.add(node.pk)
            node = node.parent


class Section(KeyedModel):
    KEY_FROM = "title"

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(validators=[validate_key])
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="The reading, in our own words. Blank lines part paragraphs.")

    class Meta:
        ordering = ["lesson", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "key"], name="section_key_unique_per_lesson"),
        ]

    def __str__(self):
        return self.title

    @property
    def anchor(self):
        return f"section-{self.key}"


class Claim(KeyedModel):
    """One attribution relation (as in PARC): source + cue (reporting verb) + content."""

    KEY_FROM = "content"

    class Kind(models.TextChoices):
        QUOTE = "quote", "Direct quote"
        PARAPHRASE = "paraphrase", "Paraphrase"
        FRAMING = "framing", "Framing"
        UNATTRIBUTED = "unattributed", "The article's own statement"

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="claims")
    key = models.SlugField(validators=[validate_key])
    order = models.PositiveIntegerField(default=0)
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="claims")
    # RESTRICT: a source that claims still name cannot be deleted on its own, but goes
    # with its lesson.
    source = models.ForeignKey(Source, on_delete=models.RESTRICT, related_name="claims")
    cue = models.CharField(max_length=60, help_text="The reporting verb, as the article uses it.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    content = models.TextField(help_text="What is claimed, in our words.")
    quoted = models.CharField(
        max_length=300, blank=True, help_text="The words the article puts in quotation marks."
    )
    evidence = models.TextField(help_text="A span that occurs word for word in the section.")

    class Meta:
        ordering = ["lesson", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "key"], name="claim_key_unique_per_lesson"),
        ]

    def __str__(self):
        return f"{self.source.name} {self.cue}: {self.content[:60]}"

    def clean(self):
        errors = {}
        other = "The {} must belong to this claim's lesson: choose one of its own {}s."
        if self.lesson_id and self.source_id and self.source.lesson_id != self.lesson_id:
            errors["source"] = ValidationError(
                other.format("source", "source"), code="other_lesson"
            )
        if self.lesson_id and self.section_id and self.section.lesson_id != self.lesson_id:
            errors["section"] = ValidationError(
                other.format("section", "section"), code="other_lesson"
            )
        elif self.section_id and self.evidence and self.evidence not in self.section.body:
            errors["evidence"] = ValidationError(
                f"This evidence does not occur word for word in the section "
                f"“{self.section.title}”. Copy the exact sentence from the section text.",
                code="evidence_not_in_section",
            )
        if self.kind == self.Kind.QUOTE and not self.quoted:
            errors["quoted"] = ValidationError(
                "A direct quote needs the quoted words.", code="quote_without_words"
            )
        if errors:
            raise ValidationError(errors)
