from django.conf import settings
from django.db import models

from pmo.core.models import BusinessModel


class OrgUnit(BusinessModel):
    """An organisational unit (department, team); units nest."""

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ("name",)
        verbose_name = "organisational unit"

    def __str__(self) -> str:
        return self.name


class Person(BusinessModel):
    """Someone the PMO plans with; optionally linked to a user account that signs in."""

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="people", verbose_name="unit"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name
