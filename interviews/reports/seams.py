"""Where the reports read facts that other models will own later.

* Offers: an application "got an offer" when an offer was sent to the candidate
  (``hiring.Offer``: sent, accepted, declined or expired), or when it reached a stage named
  ``Offer`` (``OFFER_STAGE_NAME``) in its job's pipeline (offers made before offers were
  recorded, or outside the app).
* Outcomes: the final outcome of an application is what happened to it, its status (hired
  or rejected); the hiring manager's recorded call (``interviews.HiringDecision``) is an
  input to that, not the outcome itself. A decision is pending for an active application
  whose scorecards are all submitted.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from hiring.models import Application, Offer, Stage

OFFER_STAGE_NAME = "Offer"


def got_offer(reach_field: str = "reach", prefix: str = ""):
    """True when an offer was sent, or the application reached its job's Offer stage;
    ``reach_field``: its ``reach_order`` annotation."""
    sent = (Offer.Status.SENT, Offer.Status.ACCEPTED, Offer.Status.DECLINED, Offer.Status.EXPIRED)
    return Exists(
        Stage.objects.filter(
            job_id=OuterRef(f"{prefix}job_id"), name__iexact=OFFER_STAGE_NAME, order__lte=OuterRef(reach_field)
        )
    ) | Exists(Offer.objects.filter(application_id=OuterRef(f"{prefix}pk"), status__in=sent))


def positive_outcome(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": Application.Status.HIRED})


def negative_outcome(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": Application.Status.REJECTED})
