"""A stand-in for an SMTP server that is down for the first N sends (an external service, not our code)."""
import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FlakySMTPBackend(EmailBackend):
    failures_left = 0

    def send_messages(self, messages):
        if FlakySMTPBackend.failures_left > 0:
            FlakySMTPBackend.failures_left -= 1
            raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")
        return super().send_messages(messages)
