"""Schemathesis against the served OpenAPI document: no server error and no
response (status, content type, body) that breaks the document."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import api_login, start_server, stop_server

RUN_TIMEOUT = 900  # the run takes a few minutes on 2 cores; this only stops a hang
# The server answers within the document (no 5xx, documented statuses, content types and
# bodies), and refuses what the document does not allow (negative_data_rejection).
CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,"
          "negative_data_rejection")


@pytest.fixture(scope="module")
def contract_server(tmp_path_factory):
    # Its own server: fuzzing creates contacts, fails logins (throttling) and
    # fills the audit log, none of which may leak into the browser tests.
    s = start_server(tmp_path_factory.mktemp("guardline-contract-data"))
    yield s
    stop_server(s)


def schemathesis_command(base, token):
    exe = Path(sys.executable).with_name("schemathesis")  # the venv's own script
    return [
        str(exe) if exe.exists() else shutil.which("schemathesis") or "schemathesis",
        "--config-file", str(Path(__file__).with_name("schemathesis.toml")),
        "run", f"{base}/api/v1/openapi.json",
        "--url", f"{base}/api/v1",
        "--header", f"Authorization: Bearer {token}",
        # Logout would revoke the token the rest of the run relies on.
        "--exclude-path-regex", "/auth/logout$",
        # Schemathesis has no serializer for audio bodies; the upload's bad input is tested in RecordingTests.
        "--exclude-operation-id", "uploadRecording",
        "--checks", CHECKS,
        "--phases", "examples,coverage,fuzzing",
        "--max-examples", os.environ.get("GUARDLINE_SCHEMATHESIS_EXAMPLES", "25"),
        "--request-timeout", "10",
        "--generation-database", "none",
        "--no-color",
    ]


# The DPO reaches contacts and the audit; the admin reaches users, teams, profiles and the catalog.
@pytest.mark.parametrize("role", ["dpo", "admin"])
def test_api_matches_openapi_document(contract_server, tmp_path, role):
    token = api_login(contract_server.base, f"{role}@demo.test")
    cmd = schemathesis_command(contract_server.base, token)
    shown = " ".join(a if not a.startswith("Authorization") else "Authorization: Bearer ***" for a in cmd)
    try:
        run = subprocess.run(cmd, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired as e:
        out = e.output.decode(errors="replace") if isinstance(e.output, bytes) else e.output
        pytest.fail(f"$ {shown}\nstill running after {RUN_TIMEOUT}s:\n{out or ''}")
    # The report goes to captured stdout: pytest prints it with the failure.
    print(f"$ {shown}\n{run.stdout}")
    assert run.returncode == 0, f"schemathesis exited {run.returncode}: report in captured stdout below"
