"""A real SMTP server (aiosmtpd) for the tests of internal/mail.

It keeps each message it takes in the Maildir given, byte for byte, after
three headers that say how the message came: X-Test-TLS (yes or no),
X-Test-Auth (the user logged in, or none) and X-Test-Rcpt (the envelope
recipients). Flags make it offer TLS, ask for a login, or refuse.
"""

import argparse
import os
import ssl
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

p = argparse.ArgumentParser()
p.add_argument("--host", default="127.0.0.1")
p.add_argument("--port", type=int, required=True)
p.add_argument("--maildir", required=True)
p.add_argument("--tls", choices=["none", "starttls", "implicit"], default="none")
p.add_argument("--cert")
p.add_argument("--key")
p.add_argument("--require-tls", action="store_true", help="refuse MAIL before STARTTLS")
p.add_argument("--user", help="require AUTH as this user")
p.add_argument("--password")
p.add_argument("--fail-data", type=int, default=0, help="answer 451 to the first N messages")
p.add_argument("--reject", help="answer 550 to RCPT TO this address")
args = p.parse_args()

for sub in ("tmp", "new", "cur"):
    os.makedirs(os.path.join(args.maildir, sub), exist_ok=True)


class Handler:
    def __init__(self):
        self.failures = args.fail_data
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == args.reject:
            return "550 5.1.1 <%s>: no such user here" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.failures > 0:
            self.failures -= 1
            return "451 4.3.0 busy, try again later"
        tls = server.transport.get_extra_info("ssl_object") is not None
        user = session.auth_data.login.decode() if session.authenticated else "none"
        head = "X-Test-TLS: %s\r\nX-Test-Auth: %s\r\nX-Test-Rcpt: %s\r\n" % (
            "yes" if tls else "no", user, ", ".join(envelope.rcpt_tos))
        # Maildir: write in tmp, then move into new, whole.
        self.count += 1
        name = "%d.%d.%d.relsop-test" % (time.time_ns(), os.getpid(), self.count)
        tmp = os.path.join(args.maildir, "tmp", name)
        with open(tmp, "wb") as f:
            f.write(head.encode() + envelope.original_content)
        os.rename(tmp, os.path.join(args.maildir, "new", name))
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword)
          and auth_data.login == args.user.encode()
          and auth_data.password == args.password.encode())
    # handled=False: aiosmtpd answers a failure with 535 itself.
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


context = None
if args.tls != "none":
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)

controller = Controller(
    Handler(),
    hostname=args.host,
    port=args.port,
    server_hostname="mail.test",  # spares a DNS lookup of this machine's name
    ssl_context=context if args.tls == "implicit" else None,
    tls_context=context if args.tls == "starttls" else None,
    require_starttls=args.require_tls,
    authenticator=authenticator if args.user else None,
    auth_required=bool(args.user),
    auth_require_tls=False,  # the tests log in over loopback too
)
controller.start()
print("ready", flush=True)
threading.Event().wait()  # until the test kills the process
