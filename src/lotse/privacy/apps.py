from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "lotse.privacy"
    label = "privacy"
    verbose_name = _("Data protection")

    def ready(self) -> None:
        from lotse.accounts.roles import HANDLE_PRIVACY
        from lotse.core import navigation
        from lotse.core.backup import restored

        navigation.register(
            navigation.NavItem("privacy:overview", _("Data protection"), HANDLE_PRIVACY, order=940)
        )
        restored.connect(_replay_erasures, dispatch_uid="privacy-replay-erasures")


def _replay_erasures(sender, alias: str, report=None, **kwargs) -> None:
    from django_scopes import scopes_disabled

    from . import services

    # The restore runs as an operator's command, across organisations.
    with scopes_disabled():
        again = services.replay_erasures()
    if report and again:
        report(_("%(count)d erased people anonymised again.") % {"count": again})
