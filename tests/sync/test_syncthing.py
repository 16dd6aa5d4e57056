"""Two real Syncthing instances on 127.0.0.1 share a space while two members write at once.

Everything stays on loopback: no discovery, no relays, no NAT, no usage or crash reports, no
upgrades. Each instance has its own --home in tmp_path and is killed at teardown.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sync_support import (
    Member,
    admit,
    all_ids,
    check_converged,
    check_reply_clocks,
    check_signed,
    clean_environ,
    free_ports,
    snapshot,
    stray_files,
    wait_until,
    write_at_once,
)

pytestmark = pytest.mark.system

FOLDER_ID = "peerlog-pair"
SPACE = "pair"
ROUNDS = 20
CONNECT_TIMEOUT = 60.0
CONVERGE_TIMEOUT = 90.0


@dataclass
class Syncthing:
    """One Syncthing instance: its home, ports, API key, and (once started) its process."""

    label: str
    home: Path
    folder: Path
    gui_port: int
    listen_port: int
    api_key: str
    device_id: str = ""
    proc: subprocess.Popen[bytes] | None = None

    @property
    def log(self) -> Path:
        return self.home / "syncthing.log"

    def env(self) -> dict[str, str]:
        return clean_environ(
            HOME=str(self.home / "user"),
            STNODEFAULTFOLDER="1",
            STNOUPGRADE="1",
            STNORESTART="1",
        )

    def generate(self) -> None:
        (self.home / "user").mkdir(parents=True)
        subprocess.run(
            ["syncthing", "generate", "--home", str(self.home), "--no-default-folder"],
            env=self.env(),
            capture_output=True,
            check=True,
            timeout=60,
        )
        out = subprocess.run(
            ["syncthing", "serve", "--device-id", "--home", str(self.home)],
            env=self.env(),
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        self.device_id = out.stdout.strip()
        assert len(self.device_id) == 63, out

    def configure(self, peer: Syncthing) -> None:
        """Loopback only, no extras, the peer as the only device, one shared folder."""
        path = self.home / "config.xml"
        tree = ET.parse(path)  # noqa: S314 - written by `syncthing generate` a moment ago
        root = tree.getroot()
        gui = root.find("gui")
        assert gui is not None
        gui.set("tls", "false")
        _set(gui, "address", f"127.0.0.1:{self.gui_port}")
        _set(gui, "apikey", self.api_key)
        options = root.find("options")
        assert options is not None
        for key, value in {
            "listenAddress": f"tcp://127.0.0.1:{self.listen_port}",
            "globalAnnounceEnabled": "false",
            "localAnnounceEnabled": "false",
            "relaysEnabled": "false",
            "natEnabled": "false",
            "urAccepted": "-1",
            "autoUpgradeIntervalH": "0",
            "crashReportingEnabled": "false",
            "startBrowser": "false",
            "announceLANAddresses": "false",
            "reconnectionIntervalS": "1",
        }.items():
            _set(options, key, value)
        for device in root.findall("device"):
            device.set("name", self.label)
        peer_device = ET.SubElement(
            root,
            "device",
            {
                "id": peer.device_id,
                "name": peer.label,
                "compression": "metadata",
                "introducer": "false",
                "skipIntroductionRemovals": "false",
                "introducedBy": "",
            },
        )
        _set(peer_device, "address", f"tcp://127.0.0.1:{peer.listen_port}")
        _set(peer_device, "paused", "false")
        _set(peer_device, "autoAcceptFolders", "false")
        template = root.find("defaults/folder")
        assert template is not None
        folder = copy.deepcopy(template)
        folder.attrib.update(
            {
                "id": FOLDER_ID,
                "label": "peerlog pair",
                "path": str(self.folder),
                "type": "sendreceive",
                "rescanIntervalS": "3",
                "fsWatcherEnabled": "true",
                "fsWatcherDelayS": "1",
            }
        )
        for old in folder.findall("device"):
            folder.remove(old)
        for device_id in (self.device_id, peer.device_id):
            shared = ET.Element("device", {"id": device_id, "introducedBy": ""})
            _set(shared, "encryptionPassword", "")
            folder.insert(0, shared)
        # The element order matters to no one but a reader of the file: put it before <gui>.
        root.insert(list(root).index(gui), folder)
        tree.write(path, encoding="unicode")
        self.folder.mkdir(parents=True)
        (self.folder / ".stfolder").mkdir()

    def start(self) -> None:
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [
                    "syncthing",
                    "serve",
                    "--home",
                    str(self.home),
                    "--no-browser",
                    "--no-restart",
                    "--no-upgrade",
                    "--logflags=3",
                ],
                env=self.env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def api(self, endpoint: str) -> Any:
        """GET a REST endpoint; None while the GUI is not up yet."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.gui_port}{endpoint}", headers={"X-API-Key": self.api_key}
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return json.load(response)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return f"[{self.label}: no log]"
        exit_note = ""
        if self.proc is not None and self.proc.poll() is not None:
            exit_note = f" (exited with {self.proc.returncode})"
        return f"--- syncthing {self.label} log tail{exit_note} ---\n" + "\n".join(text[-lines:])


def _set(parent: ET.Element, tag: str, text: str) -> None:
    child = parent.find(tag)
    if child is None:
        child = ET.SubElement(parent, tag)
    child.text = text


@pytest.fixture
def syncthing_pair(tmp_path: Path) -> Iterator[tuple[Syncthing, Syncthing]]:
    """Two connected Syncthing instances sharing FOLDER_ID: tmp/a/space <-> tmp/b/space."""
    if shutil.which("syncthing") is None:
        pytest.skip("the syncthing binary is not installed (e.g. apt-get install syncthing)")
    ports = free_ports(4)
    a, b = (
        Syncthing(
            label=label,
            home=tmp_path / f"st-{label}",
            folder=tmp_path / label / "space",
            gui_port=ports[2 * i],
            listen_port=ports[2 * i + 1],
            api_key=f"peerlog-test-key-{label}-{os.getpid()}",
        )
        for i, label in enumerate(("a", "b"))
    )
    a.generate()
    b.generate()
    a.configure(b)
    b.configure(a)
    try:
        a.start()
        b.start()

        def details() -> str:
            return f"{a.log_tail()}\n{b.log_tail()}"

        def both_up() -> bool:
            for st in (a, b):
                assert st.proc is not None
                if st.proc.poll() is not None:
                    pytest.fail(f"syncthing {st.label} exited early\n{details()}")
            status = [st.api("/rest/system/status") for st in (a, b)]
            return all(s is not None for s in status)

        wait_until(both_up, CONNECT_TIMEOUT, "both Syncthing REST APIs", 0.5, details)
        for st in (a, b):
            assert st.api("/rest/system/status")["myID"] == st.device_id

        def connected() -> bool:
            for st, peer in ((a, b), (b, a)):
                conns = st.api("/rest/system/connections") or {}
                if not conns.get("connections", {}).get(peer.device_id, {}).get("connected"):
                    return False
            return True

        wait_until(connected, CONNECT_TIMEOUT, "the two Syncthing devices to connect", 0.5, details)

        def folders_idle() -> bool:
            for st in (a, b):
                status = st.api(f"/rest/db/status?folder={FOLDER_ID}") or {}
                if status.get("state") != "idle":
                    return False
            return True

        wait_until(folders_idle, CONNECT_TIMEOUT, "the shared folder to be idle", 0.5, details)
        yield a, b
    finally:
        a.stop()
        b.stop()


def test_concurrent_writers_over_syncthing(
    syncthing_pair: tuple[Syncthing, Syncthing], sam_and_alex: tuple[Member, Member]
) -> None:
    st_a, st_b = syncthing_pair
    sam, alex = sam_and_alex

    def details() -> str:
        return f"{st_a.log_tail()}\n{st_b.log_tail()}"

    sam.run("space", "create", str(st_a.folder), "--name", SPACE)
    wait_until(
        lambda: (st_b.folder / "space.toml").is_file(),
        60,
        "space.toml to reach B's copy",
        0.5,
        details,
    )
    alex.run("space", "join", str(st_b.folder))

    def sees_key(viewer: Member, member: str) -> bool:
        shown = json.loads(viewer.run("space", "show", SPACE, "--json").stdout)
        return any(k["member"] == member for k in shown["keys"])

    # They compare fingerprints and admit each other, so the space is secured while they write.
    wait_until(lambda: sees_key(sam, "alex"), 60, "alex's key to reach A", 0.5, details)
    admit(sam, alex, SPACE)
    wait_until(lambda: sees_key(alex, "sam"), 60, "sam's key to reach B", 0.5, details)
    admit(alex, sam, SPACE)

    def text(me: Member, n: int, kind: str) -> str:
        if kind == "entry":
            return f"{me.member} entry {n}: a line about the week, take {n}."
        return f"{me.member} replies in round {n}."

    seed = write_at_once((sam, alex), SPACE, ROUNDS, text)
    assert len(sam.saved_entries) == ROUNDS
    assert len(alex.saved_entries) == ROUNDS
    # Each saw some of the other's entries arrive while writing (else nothing was concurrent).
    assert sam.saved_replies, f"sam never saw one of alex's entries in time (seed {seed})"
    assert alex.saved_replies, f"alex never saw one of sam's entries in time (seed {seed})"

    expected = set(sam.saved_entries + sam.saved_replies + alex.saved_entries + alex.saved_replies)
    last: list[Any] = []

    def agreed() -> bool:
        views = [snapshot(m.entries(SPACE)) for m in (sam, alex)]
        last[:] = views
        return views[0] == views[1] and expected <= all_ids(views[0])

    def missing() -> str:
        lines = []
        for member, view in zip((sam, alex), last, strict=True):
            lines.append(f"{member.member} is missing {sorted(expected - all_ids(view))}")
        return "\n".join(lines) + "\n" + details()

    wait_until(agreed, CONVERGE_TIMEOUT, "both members to see the same records", 1.5, missing)
    view = check_converged([sam, alex], last)
    assert len(view) == 2 * ROUNDS

    for st in (st_a, st_b):
        assert stray_files(st.folder) == [], f"conflict copies or temp files in {st.label}'s copy"
        assert check_reply_clocks(st.folder) == len(sam.saved_replies) + len(alex.saved_replies)
        assert check_signed(st.folder) > 2 * ROUNDS
    for member in (sam, alex):
        shown = json.loads(member.run("space", "show", SPACE, "--json").stdout)
        assert shown["secured"] and sorted(shown["admitted"]) == ["alex", "sam"]
        code, report = member.doctor(SPACE)
        assert code == 0, f"{member.member}: doctor found {report['findings']}"
        assert report["findings"] == []
