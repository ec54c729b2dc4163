"""What digitisation tells the apps that use it."""

import django.dispatch

# Sent with sender=Scan, scan=<Scan> when a scan is done, and again after one of its pages is proofread:
# receivers re-read scan.text().
scan_finished = django.dispatch.Signal()
