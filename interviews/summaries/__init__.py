"""Feedback summaries and the weekly job digest.

* ``build``: pure computation of a summary's content from loaded rows (no writes).
* ``backends``: the optional language-model narrative, with the built-in text as fallback.
* ``services``: requesting, claiming, building and storing summaries; the sweeper.
* ``digest``: the weekly digest of a job.
The Celery tasks that drive them live in ``interviews.tasks``.
"""
