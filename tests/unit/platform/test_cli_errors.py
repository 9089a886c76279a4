"""Bad command-line input gets a clear usage error before anything starts or connects."""

import pytest
from typer.testing import CliRunner

from xshop.cli import app


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["serve", "nosuch"], "unknown service 'nosuch'"),
        (["migrate", "gateway"], "'gateway' has no database"),
        (["up", "--replicas", "notifications"], "--replicas takes NAME=N"),
        (["up", "--replicas", "notifications=0"], "--replicas takes NAME=N"),
        (["up", "--replicas", "nosuch=2"], "--replicas takes NAME=N"),
    ],
)
def test_bad_arguments_are_usage_errors(args, message, tmp_path, monkeypatch):
    monkeypatch.setenv("XSHOP_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert list(tmp_path.iterdir()) == []  # nothing was created or migrated
