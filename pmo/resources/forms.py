from pmo.resources.models import OrgUnit, Person
from pmo.web.forms import VersionedForm


class OrgUnitForm(VersionedForm):
    class Meta:
        model = OrgUnit
        fields = ("code", "name", "parent")


class PersonForm(VersionedForm):
    class Meta:
        model = Person
        fields = ("name", "email", "job_title", "org_unit", "active")
