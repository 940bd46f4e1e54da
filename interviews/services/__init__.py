"""Every write of the interviews app, one module per area; import from here."""

from .plans import plan_create_default
from .summaries import summary_rebuild, summary_request, summary_sweep_stale

__all__ = ["plan_create_default", "summary_rebuild", "summary_request", "summary_sweep_stale"]
