"""Writes of the flagged-phrase list the language nudges read (cached; the cache is cleared on commit)."""

from django.core.cache import cache
from django.db import transaction

from interviews.models import FlaggedPhrase
from interviews.selectors import FLAGGED_PHRASES_CACHE_KEY


def _forget_cached_list() -> None:
    transaction.on_commit(lambda: cache.delete(FLAGGED_PHRASES_CACHE_KEY))


@transaction.atomic
def flagged_phrase_save(*, phrase: FlaggedPhrase) -> FlaggedPhrase:
    phrase.phrase = " ".join(phrase.phrase.split())
    phrase.full_clean()
    phrase.save()
    _forget_cached_list()
    return phrase


@transaction.atomic
def flagged_phrase_delete(*, phrase: FlaggedPhrase) -> None:
    phrase.delete()
    _forget_cached_list()
