"""The wheel carries the built web client and the shipped templates inside the `server` package
(`server/web_client`, `server/shipped_templates`), so that `pip install ardoise-*.whl` then
`ardoise serve` serves everything from an empty folder (`make wheel` builds the client first).
The rest of the project's metadata is in pyproject.toml."""

from __future__ import annotations

from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).resolve().parent
WEB_CLIENT = "web/static/dist"


def carried() -> dict[str, str]:
    """Package name -> folder, for each folder of data the wheel carries. The client only once
    built: an editable install of a fresh clone serves it from the repository (server/app.py)."""
    folders = {"server.shipped_templates": Path("templates")}
    if (HERE / WEB_CLIENT / "index.html").exists():
        folders["server.web_client"] = Path(WEB_CLIENT)
        for sub in sorted((HERE / WEB_CLIENT).rglob("*")):
            if sub.is_dir():
                relative = sub.relative_to(HERE / WEB_CLIENT)
                name = ".".join(("server.web_client", *relative.parts))
                folders[name] = Path(WEB_CLIENT, relative)
    return {name: folder.as_posix() for name, folder in folders.items()}


package_dirs = carried()
setup(
    packages=[*find_packages(include=["server*"]), *package_dirs],
    package_dir=package_dirs,
    package_data={name: ["*"] for name in package_dirs},
)
