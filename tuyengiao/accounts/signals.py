from django.dispatch import Signal

# Sent by role_grant and role_revoke (user=...), so that other apps can bring what they derive from
# roles up to date (the news portal's page permissions, for one).
roles_changed = Signal()
