"""A Python client of the Reclaim HTTP API (docs/http-api.md), standard library only.

    from reclaim_client import Client

    client = Client("http://127.0.0.1:8080", token="rcl_...")
    job = client.jobs.submit(["sh", "-c", "echo 42 > $RECLAIM_OUTPUT/result.json"], auto_cleanup=False)
    print(client.jobs.results(job).result)      # 42
    client.jobs.cleanup_jobs(job)               # prints what it deleted
"""

from .cleanup import Cleanup, ServiceStop
from .client import Client
from .errors import ReclaimError, ReclaimWarning
from .jobs import Jobs
from .models import (
    ArchiveResult,
    Artifact,
    ArtifactDeleteResult,
    ArtifactKind,
    ArtifactRef,
    AuditLine,
    CleanupGroup,
    CleanupItem,
    CleanupOutcome,
    CleanupProgress,
    CleanupReport,
    CleanupRun,
    CleanupSettings,
    DeleteManyResult,
    DeleteResult,
    Forecast,
    ForecastHorizon,
    Hold,
    HoldResult,
    HoldTarget,
    Job,
    JobInfo,
    JobResults,
    JobStatus,
    Page,
    ServiceState,
    Task,
    TaskSize,
    TaskSummary,
    TaskStatus,
    Token,
    UsageGroup,
    UsageDay,
    UsageReport,
    WhoAmI,
    format_time,
    parse_time,
)
from .tasks import Tasks
from .tokens import Tokens

__version__ = "0.1.0"

__all__ = [
    "ArchiveResult",
    "Artifact",
    "ArtifactDeleteResult",
    "ArtifactKind",
    "ArtifactRef",
    "AuditLine",
    "Cleanup",
    "CleanupGroup",
    "CleanupItem",
    "CleanupOutcome",
    "CleanupProgress",
    "CleanupReport",
    "CleanupRun",
    "CleanupSettings",
    "Client",
    "DeleteManyResult",
    "DeleteResult",
    "Forecast",
    "ForecastHorizon",
    "Hold",
    "HoldResult",
    "HoldTarget",
    "Job",
    "JobInfo",
    "JobResults",
    "JobStatus",
    "Jobs",
    "Page",
    "ReclaimError",
    "ReclaimWarning",
    "ServiceStop",
    "ServiceState",
    "Task",
    "TaskSize",
    "TaskSummary",
    "TaskStatus",
    "Tasks",
    "Token",
    "Tokens",
    "UsageGroup",
    "UsageDay",
    "UsageReport",
    "WhoAmI",
    "format_time",
    "parse_time",
]
