"""How long ago something happened, in the words every page uses: ``{{ when|age }}``.

Days once it is a day or more ("17 days", not "423 h" nor "2 weeks, 3 days"), hours below
that, "less than an hour" below one hour. A moment in the future reads "in 3 days".
"""

from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def age_in_words(value: datetime | date | None, now: datetime | None = None) -> str:
    if value is None:
        return ""
    now = now or timezone.now()
    if not isinstance(value, datetime):  # a date: whole days
        days = (timezone.localdate(now) - value).days
        words = "today" if days == 0 else _plural(abs(days), "day")
        return f"in {words}" if days < 0 and days else words
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    seconds = (now - value).total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 3600:
        words = "less than an hour"
    elif seconds < 86400:
        words = _plural(int(seconds // 3600), "hour")
    else:
        words = _plural(int(seconds // 86400), "day")
    return f"in {words}" if future else words


@register.filter
def age(value) -> str:
    """``{{ interview.ends_at|age }} ago`` -> "17 days ago"."""
    return age_in_words(value)
