from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = "Interviews"

    def ready(self) -> None:
        """Fill in hiring's extension points (``hiring.extensions``): hiring never imports interviews."""
        from hiring import extensions

        from .rules import applications_interviewed_by, debrief_reached
        from .selectors.decisions import applications_needing_decision
        from .selectors.hiring_pages import (
            ScorecardBoardFacts,
            decision_panel,
            feedback_panel,
            interview_timeline_events,
            job_links,
            summary_panel,
        )
        from .services.plans import plan_create_default

        extensions.register_board_facts("interviews.scorecards", ScorecardBoardFacts())
        extensions.register_timeline("interviews.interviews", interview_timeline_events)
        extensions.register_job_opened("interviews.default_plan", plan_create_default)
        extensions.register_application_access("interviews.interviewers", applications_interviewed_by)
        extensions.register_application_panel("interviews.summary", summary_panel)
        extensions.register_application_panel("interviews.decision", decision_panel)
        extensions.register_application_panel("interviews.feedback", feedback_panel)
        extensions.register_decision_queue("interviews.decisions", applications_needing_decision)
        extensions.register_job_links("interviews.plan_and_digest", job_links)
        extensions.register_debrief_reached("interviews.scorecards_submitted", debrief_reached)
