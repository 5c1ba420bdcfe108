"""Templates and policies, the project charter and documents under configuration control.

A `DocumentTemplate` is kept by the PMO: each change of its text is a new `TemplateVersion`. Policies are
templates of kind "policy": read-only documents for everyone. A project's `Document` (its charter, business
case, deliverables...) has numbered `DocumentVersion`s (an uploaded file or in-app text), named approvers
(`DocumentApproval`) who each approve or reject the version under review, and a status. A `DocumentBaseline`
is a labelled, frozen set of approved versions of one project (one per gate).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from pmo.core.models import BusinessModel
from pmo.portfolio.models import Project
from pmo.resources.models import Person


class Kind(models.TextChoices):
    CHARTER = "charter", "Project charter"
    BUSINESS_CASE = "business_case", "Business case"
    PLAN = "plan", "Project management plan"
    STATUS_REPORT = "status_report", "Status report"
    RISK_PLAN = "risk_plan", "Risk management plan"
    REQUIREMENTS = "requirements", "Requirements"
    DESIGN = "design", "Design"
    TEST_REPORT = "test_report", "Test report"
    DELIVERABLE = "deliverable", "Deliverable"
    CLOSURE_REPORT = "closure_report", "Closure report"
    POLICY = "policy", "Policy"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    BASELINED = "baselined", "Baselined"
    SUPERSEDED = "superseded", "Superseded"


class DocumentTemplate(BusinessModel):
    """A template (or a policy) of the PMO's library. `body` is the text of its latest version; fields such as
    `{{ project.name }}` fill from the project's data when a document is produced from it."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER, db_index=True)
    description = models.TextField(blank=True, help_text="What it is for and when a project uses it.")
    body = models.TextField(help_text="The text, with fields such as {{ project.name }}.")
    number = models.PositiveIntegerField("version number", default=1)
    active = models.BooleanField(default=True, help_text="Retired templates stay readable but are not offered.")

    class Meta:
        ordering = ("kind", "name")
        constraints = [models.UniqueConstraint(fields=["name"], name="documents_template_name_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_policy(self) -> bool:
        return self.kind == Kind.POLICY


class TemplateVersion(BusinessModel):
    """One saved text of a template; the template keeps the latest in `body`."""

    template = models.ForeignKey(DocumentTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    body = models.TextField()
    note = models.CharField(max_length=300, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    AUDIT_EXCLUDE = BusinessModel.AUDIT_EXCLUDE | {"body"}

    class Meta:
        ordering = ("template", "-number")
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="documents_template_version_unique")]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"


class Document(BusinessModel):
    """A document or deliverable of a project under configuration control."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DELIVERABLE, db_index=True)
    template = models.ForeignKey(
        DocumentTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    description = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    approved_version = models.ForeignKey(
        "DocumentVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The latest approved version (kept while a newer draft is written).",
    )
    approvers = models.ManyToManyField(Person, blank=True, related_name="+", help_text="Who approves its versions.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("project", "kind", "title")
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(kind="charter") & ~Q(status="superseded"),
                name="documents_one_charter_per_project",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_charter(self) -> bool:
        return self.kind == Kind.CHARTER


class DocumentVersion(BusinessModel):
    """One version of a document: in-app text or an uploaded file (stored in the default storage)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    file = models.FileField(upload_to="documents/", max_length=300, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    note = models.CharField("what changed", max_length=300, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    # A version's content never changes once saved: the audit keeps its name, size and digest, not its bytes.
    AUDIT_EXCLUDE = BusinessModel.AUDIT_EXCLUDE | {"text", "file"}

    class Meta:
        ordering = ("document", "-number")
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="documents_version_unique")]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class DocumentApproval(BusinessModel):
    """One approver's decision on one version submitted for review."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="approvals")
    document_version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="approvals")
    approver = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    comment = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("document", "-document_version__number", "approver__name")
        constraints = [
            models.UniqueConstraint(fields=["document_version", "approver"], name="documents_approval_unique")
        ]

    def __str__(self) -> str:
        return f"{self.approver} on {self.document_version}"


class DocumentBaseline(BusinessModel):
    """A labelled, frozen set of approved document versions of a project (taken at a gate)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="document_baselines")
    label = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    versions = models.ManyToManyField(DocumentVersion, blank=True, related_name="baselines")

    class Meta:
        ordering = ("project", "-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.project.code} · {self.label}"
