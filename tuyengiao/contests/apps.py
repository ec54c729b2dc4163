from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "tuyengiao.contests"
    label = "contests"
    verbose_name = _("Contests")

    def ready(self):
        from tuyengiao.core.models import audit_actions_register

        audit_actions_register(
            {
                "contest.questions_import": _("Contest questions imported"),
                "contest.disqualify": _("Contest entry disqualified"),
                "contest.roster_import": _("Contest roster imported"),
            }
        )
        from wagtail.permissions import register_permission_policy

        from tuyengiao.accounts.permissions import UnitScopedPermissionPolicy
        from tuyengiao.contests.models import Contest, Question, Round

        register_permission_policy(Contest, UnitScopedPermissionPolicy(Contest))
        for model in (Round, Question):  # their unit is their contest's
            register_permission_policy(model, UnitScopedPermissionPolicy(model, unit_field="contest__unit"))
        from tuyengiao.contests.models import Prize

        register_permission_policy(Prize, UnitScopedPermissionPolicy(Prize, unit_field="round__contest__unit"))

        from django.db.models.signals import post_delete, post_save

        from tuyengiao.contests.models import Option

        post_save.connect(_round_saved, sender=Round, dispatch_uid="contests-round-settle")
        for signal in (post_save, post_delete):
            for model in (Question, Option):
                signal.connect(_bank_changed, sender=model, dispatch_uid=f"contests-bank-{model.__name__}-{id(signal)}")


def _bank_changed(sender, instance, **kwargs):
    """A question or option changed: the cached bank of its contest is read again (selectors.bank)."""
    from tuyengiao.contests.models import Question
    from tuyengiao.contests.services import bank_changed

    if isinstance(instance, Question):
        contest_id = instance.contest_id
    else:
        contest_id = Question.objects.filter(pk=instance.question_id).values_list("contest_id", flat=True).first()
    if contest_id is not None:
        bank_changed(contest_id)


def _round_saved(sender, instance, **kwargs):
    """A round was created or changed: its settling is queued for its close."""
    from tuyengiao.contests.tasks import round_settlement_schedule

    if instance.prediction_answer is None:
        round_settlement_schedule(instance)
