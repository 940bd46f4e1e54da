"""Where the reports read facts that other models will own later.

* Offers: until an offer model exists, an application "got an offer" when it reached a
  stage named ``Offer`` (``OFFER_STAGE_NAME``) in its job's pipeline.
* Decisions: until a decision model exists, the final outcome of an application is its
  status (hired or rejected), and a decision is pending for an active application whose
  scorecards are all submitted.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from hiring.models import Application, Stage

OFFER_STAGE_NAME = "Offer"


def got_offer(reach_field: str = "reach", prefix: str = "") -> Exists:
    """True when the application reached its job's Offer stage; ``reach_field``: its ``reach_order`` annotation."""
    return Exists(
        Stage.objects.filter(
            job_id=OuterRef(f"{prefix}job_id"), name__iexact=OFFER_STAGE_NAME, order__lte=OuterRef(reach_field)
        )
    )


def positive_outcome(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": Application.Status.HIRED})


def negative_outcome(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": Application.Status.REJECTED})
