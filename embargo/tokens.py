"""The address of an embargo link: the link's id signed with Django's signing.

The salt keeps these signatures apart from every other use of ``SECRET_KEY`` (sessions,
password resets): a value signed elsewhere is not a valid token here. The token carries no
time: a link's validity is its row (``expires_at``, ``revoked_at``), so it can be changed and
withdrawn after the address is sent.
"""

from django.core import signing

SALT = "iomcms.embargo.link"


def _signer():
    return signing.Signer(salt=SALT)


def make_token(link):
    return _signer().sign_object(link.pk)


def link_id(token):
    """The link id ``token`` carries, or ``None`` if it was not signed here (tampered,
    truncated, signed with another salt or key)."""
    try:
        value = _signer().unsign_object(token)
    except (signing.BadSignature, ValueError):  # ValueError: not JSON under a good signature
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None
