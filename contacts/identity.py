"""Which contact a person named somewhere is: the one identity rule for press contacts.

A person is given as a name, an office and the e-mail addresses written beside them (a
release's contact block, an import, a form). They are the contact that has one of those
addresses, ignoring case; failing that, the contact with the same match key (name and
office with case, accents, punctuation and spacing ignored: :func:`iomcms.text.match_key`,
stored in ``Contact.match_key``); failing that, nobody yet. When several contacts share the
key (staff can create such twins), the oldest (lowest id) is the one, so the answer does not
depend on the order they were read in.

The model computes its key with :func:`identity_key`, the admin flags contacts sharing it as
likely duplicates, the importer and ``Contact.objects.identify()`` answer with
:class:`ContactIndex`.
"""

from iomcms.text import match_key


def identity_key(name, office):
    """The match key of a contact called ``name`` at ``office``."""
    return match_key(name, office)


def _age(contact):
    # An unsaved contact is the newest: any saved one with its key was there first.
    return float("inf") if contact.pk is None else contact.pk


class ContactIndex:
    """Contacts held in memory, looked up by e-mail and by match key under the rule above.

    Feed it every contact a batch may name (``Contact.objects.matching()`` finds them in one
    query); :meth:`find` then answers as the database would. After changing a contact's e-mail,
    name or office, :meth:`add` it again.
    """

    def __init__(self, contacts=()):
        self._by_email = {}
        self._by_key = {}
        self._keys = {}  # id(contact) -> the key it is filed under
        for contact in contacts:
            self.add(contact)

    def add(self, contact):
        if contact.email:
            self._by_email[contact.email.lower()] = contact
        key = identity_key(contact.name, contact.office)
        old = self._keys.get(id(contact))
        if old is not None and old != key:
            # Its office was filled in: it answers the new key now, and no longer the old.
            self._by_key[old] = [c for c in self._by_key[old] if c is not contact]
        if old != key:
            self._by_key.setdefault(key, []).append(contact)
        self._keys[id(contact)] = key

    def find(self, name, office, emails=()):
        """The contact (name, office, emails) is, or None."""
        for email in emails:
            contact = self._by_email.get(email.lower())
            if contact is not None:
                return contact
        holders = self._by_key.get(identity_key(name, office))
        return min(holders, key=_age) if holders else None
