"""Third-party apps as the Arabic desk names them in the admin."""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _


class SignInThrottleConfig(AxesConfig):
    # django-axes gives its app no verbose_name, so the admin showed "Axes".
    verbose_name = _("sign-in throttle")
