"""Views of the interviews app, one module per screen area."""

from . import interviews, plans, scorecards

__all__ = ["interviews", "plans", "scorecards"]
