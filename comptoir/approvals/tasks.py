"""Background tasks of approvals (Django tasks API)."""

from django_tasks import task

from comptoir.approvals import notifications


@task()
def notify_approvers(approval_id: int) -> None:
    """E-mail the approvers of the level a request now waits for."""
    notifications.approval_submitted(approval_id)
