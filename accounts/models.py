"""A teacher's reset of a learner's password, pending until the learner chooses their own;
a user's own time zone."""

from django.conf import settings
from django.db import models

from .zones import validate_time_zone


class PasswordResetQuerySet(models.QuerySet):
    def pending_for(self, user):
        return self.filter(user=user)


class PasswordReset(models.Model):
    """The learner logs in with a one-time password and must change it before anything
    else. The row goes when they have (``accounts.passwords.password_changed``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_password_reset"
    )
    reset_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PasswordResetQuerySet.as_manager()

    def __str__(self):
        return f"Password reset of {self.user} by {self.reset_by}"


class TimeZoneProfile(models.Model):
    """A user's own time zone (accounts/zones.py); none, or empty, is the site's."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="time_zone_profile"
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="A tz database name (Europe/London); empty: the site's TIME_ZONE.",
    )

    def __str__(self):
        return f"{self.user}: {self.time_zone or 'site zone'}"
