#!/usr/bin/python3
"""ansible-test, offline: runs Debian's ansible-test unchanged, except that each sanity test's
virtual environment is made from Debian's packaged tools instead of downloaded pins.

ansible-test creates one virtual environment per sanity test and pip-installs pinned
requirements from PyPI into it; only Debian's archive is reachable here. So
create_sanity_virtualenv is replaced: the import test gets an empty venv (it must not see
system packages: it checks that modules import nothing the host lacks), every other test a venv
with the system site packages, i.e. Debian's pylint, pycodestyle, yamllint, voluptuous, PyYAML.
Their versions differ slightly from ansible-test's pins (docs/ansible.md lists them).
Usage: ansible-test-offline.py VENV_DIR ansible-test-arguments..."""

import json
import os
import subprocess
import sys


def make_venv(path, system_site_packages):
    """A venv at PATH (once), with ansible-test's marker files."""
    python = os.path.join(path, 'bin', 'python')
    if not os.path.exists(os.path.join(path, 'marker.txt')):
        cmd = [sys.executable, '-m', 'venv', '--without-pip', path]
        if system_site_packages:
            cmd.insert(3, '--system-site-packages')
        subprocess.run(cmd, check=True)
        with open(os.path.join(path, 'meta.yaml.json'), 'w') as f:
            json.dump(system_site_packages or None, f)
        with open(os.path.join(path, 'marker.txt'), 'w') as f:
            f.write('offline\n')
    return python


def main():
    root = sys.argv[1]
    # pylint: disable=import-outside-toplevel
    from ansible_test._internal.commands import sanity
    from ansible_test._internal.host_configs import VirtualPythonConfig
    import importlib
    sanity_import = importlib.import_module('ansible_test._internal.commands.sanity.import')

    def offline_virtualenv(args, python, name, coverage=False, minimize=False):
        del args, coverage
        system = not minimize
        path = os.path.join(root, '%s-%s' % ('system' if system else 'bare', python.version))
        return VirtualPythonConfig(version=python.version, path=make_venv(path, system))

    sanity.create_sanity_virtualenv = offline_virtualenv
    sanity_import.create_sanity_virtualenv = offline_virtualenv
    from ansible_test._internal import main as cli_main
    del sys.argv[1]  # ansible-test parses sys.argv itself
    cli_main()


if __name__ == '__main__':
    main()
