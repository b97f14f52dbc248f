"""Vendor the assets GX Data Docs load from CDNs, from the npm registry, pinned by version and
integrity: `python scripts/vendor_data_docs_assets.py` (needs `npm`). Writes the files into
bluebook/contracts/expectations/vendor/ with VENDOR.json (package, version, license, npm integrity,
sha256 of every file). A test checks the files against VENDOR.json and that every CDN reference in
the installed GX's templates has a vendored copy (data_docs_offline.CDN)."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "bluebook" / "contracts" / "expectations" / "vendor"

# (package, version, npm integrity, license, files inside the tarball's package/ folder)
PACKAGES = [
    (
        "jquery",
        "3.7.1",
        "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
        "MIT",
        ["dist/jquery.min.js", "LICENSE.txt"],
    ),
    (
        "popper.js",
        "1.12.9",
        "sha512-s0EEi9xiSCdqz9lV4IiVH5yIZnDX/U1t0tCjB+0jXx9jW8lrR7kOpVupiUg175ogqVoudpDXHF1p6dKATCHMeg==",
        "MIT",
        ["dist/umd/popper.min.js"],
    ),
    (
        "bootstrap",
        "4.3.1",
        "sha512-rXqOmH1VilAt2DyPzluTi2blhk17bO7ef+zLLPlWvG494pDxcM234pJ8wTc/6R40UWizAIIMgxjvxZg5kmsbag==",
        "MIT",
        ["dist/css/bootstrap.min.css", "dist/js/bootstrap.min.js", "LICENSE"],
    ),
    (
        "bootstrap-table",
        "1.19.1",
        "sha512-WvV+l1AI/C+zThaKmfHmi/IuayVNB0qdFyEhFx1jyZhO0oLtNJNANkCR3rvJf6Dkh72dsLElxpE/bzK9seEQLA==",
        "MIT",
        [
            "dist/bootstrap-table.min.css",
            "dist/bootstrap-table.min.js",
            "dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
            "dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
            "LICENSE",
        ],
    ),
    (
        "bootstrap-datepicker",
        "1.9.0",
        "sha512-9rYYbaVOheGYxjOr/+bJCmRPihfy+LkLSg4fIFMT9Od8WwWB/MB50w0JO1eBgKUMbb7PFHQD5uAfI3ArAxZRXA==",
        "Apache-2.0",
        ["dist/css/bootstrap-datepicker.min.css", "dist/js/bootstrap-datepicker.min.js", "LICENSE"],
    ),
    (
        "@fortawesome/fontawesome-free",
        "6.6.0",
        "sha512-60G28ke/sXdtS9KZCpZSHHkCbdsOGEhIUGlwq6yhY74UpTiToIh8np7A8yphhM4BWsvNFtIvLpi4co+h9Mr9Ow==",
        "CC-BY-4.0 (icons) AND OFL-1.1 (fonts) AND MIT (code)",
        [
            "css/all.min.css",
            "webfonts/fa-brands-400.woff2",
            "webfonts/fa-regular-400.woff2",
            "webfonts/fa-solid-900.woff2",
            "webfonts/fa-v4compatibility.woff2",
            "LICENSE.txt",
        ],
    ),
    (
        "@forevolve/bootstrap-dark",
        "1.1.0",
        "sha512-A3ucpEpxPoTVO490lZZCfjPXxv832l7mm1IxX3bXyxvgwnPGXDLyh7dWrphXKO8YBAu3EswbBEu3VSW8NRMW3A==",
        "MIT",
        ["dist/css/bootstrap-prefers-dark.min.css", "LICENSE"],
    ),
]


def folder(package: str, version: str) -> str:
    return f"{package.replace('@', '').replace('/', '-')}-{version}"


def main() -> int:
    if shutil.which("npm") is None:
        print("npm is needed (Debian: apt-get install npm)", file=sys.stderr)
        return 2
    manifest = []
    with tempfile.TemporaryDirectory() as tmp:
        for package, version, integrity, license_, files in PACKAGES:
            done = subprocess.run(
                ["npm", "pack", f"{package}@{version}", "--json", "--pack-destination", tmp],
                capture_output=True,
                text=True,
                check=True,
            )
            info = json.loads(done.stdout)[0]
            tarball = Path(tmp) / info["filename"]
            digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
            if digest != integrity or info["integrity"] != integrity:
                print(f"{package}@{version}: integrity {digest} is not the pinned {integrity}", file=sys.stderr)
                return 1
            dest = VENDOR / folder(package, version)
            shutil.rmtree(dest, ignore_errors=True)
            entry = {
                "package": package,
                "version": version,
                "license": license_,
                "integrity": integrity,
                "folder": dest.name,
                "files": {},
            }
            with tarfile.open(tarball) as tar:
                for name in files:
                    data = tar.extractfile(f"package/{name}").read()
                    target = dest / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
                    entry["files"][name] = hashlib.sha256(data).hexdigest()
            manifest.append(entry)
    (VENDOR / "VENDOR.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"vendored {len(manifest)} packages into {VENDOR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
