"""Partners of the read API (articles/api/): who may call it, and how often."""

import hashlib
import secrets

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles.text.hygiene import PlainCharField

KEY_PREFIX_LENGTH = 8


def key_digest(key: str) -> str:
    """Keys are 256 random bits, so a plain SHA-256 is enough to store them safely:
    there is nothing for a slow hash to protect against guessing."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiPartnerQuerySet(models.QuerySet["ApiPartner"]):
    def by_key(self, key: str) -> "ApiPartner | None":
        """The active partner holding ``key``, or None."""
        return self.filter(is_active=True, key_digest=key_digest(key)).first()


class ApiPartner(models.Model):
    name = PlainCharField(_("name"), max_length=150)
    key_prefix = models.CharField(
        _("key begins with"),
        max_length=KEY_PREFIX_LENGTH,
        editable=False,
        help_text=_(
            "The first characters of the key, to tell keys apart; the key itself is not kept."
        ),
    )
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("A partner that is not active is refused at once.")
    )
    requests_per_minute = models.PositiveIntegerField(
        _("requests per minute"), default=600, validators=[MinValueValidator(1)]
    )
    contact = PlainCharField(_("contact"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ApiPartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("API partner")
        verbose_name_plural = _("API partners")
        constraints = [
            models.CheckConstraint(
                condition=Q(name__regex=r"\S"), name="apipartner_name_not_blank"
            ),
        ]

    def __str__(self):
        return self.name

    def issue_key(self) -> str:
        """A new key for this partner (the old one stops working once saved).
        Returned once: only its digest and first characters are stored."""
        key = secrets.token_urlsafe(32)
        self.key_prefix = key[:KEY_PREFIX_LENGTH]
        self.key_digest = key_digest(key)
        return key
