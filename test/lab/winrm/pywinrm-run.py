# Runs commands on a lab host through Debian's python3-winrm (pywinrm): NTLM, and message encryption
# as asked. argv: endpoint user password-file encryption command [args...]; prints one JSON line.
# The password is read from its file, never from argv.
import json
import sys

import winrm

endpoint, user, password_file, encryption, command, *args = sys.argv[1:]
with open(password_file, encoding="utf-8") as f:
    password = f.read()
try:
    session = winrm.Session(endpoint, auth=(user, password), transport="ntlm", message_encryption=encryption,
                            read_timeout_sec=30, operation_timeout_sec=20)
    r = session.run_cmd(command, args)
    print(json.dumps({"code": r.status_code, "stdout": r.std_out.decode("latin1"), "stderr": r.std_err.decode("latin1")}))
except Exception as e:  # the test asserts on the error's type and text
    print(json.dumps({"error": type(e).__name__, "message": str(e)}))
