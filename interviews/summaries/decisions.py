"""Where the summary's headline gets the decision on an application, if there is one.

No decision record exists yet. An app above interviews that records decisions (Hire / No hire
/ Hold) registers a provider here from its ``AppConfig.ready()``; without one, the headline
simply shows no decision. A provider answers with a small dict or ``None``:

``{"label": "Hire", "by": "Dana Lead", "at": datetime, "url": "/…"}`` (only ``label`` is required).

Registration is keyed by name, so registering twice keeps one provider.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DecisionProvider = Callable[..., "dict[str, Any] | None"]  # (*, user, application) -> dict | None

_providers: dict[str, DecisionProvider] = {}


def register_decision_provider(name: str, provider: DecisionProvider) -> None:
    _providers[name] = provider


def unregister_decision_provider(name: str) -> None:
    _providers.pop(name, None)


def decision_for(*, user, application) -> dict[str, Any] | None:
    """The first decision a registered provider knows for ``application`` (as ``user`` may see it)."""
    for provider in _providers.values():
        decision = provider(user=user, application=application)
        if decision:
            return decision
    return None
