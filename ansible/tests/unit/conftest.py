# -*- coding: utf-8 -*-
"""The `luksfit` fixture: a fake luksfit behind AnsibleModule.run_command."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.luksfit.luksfit.tests.unit.fake_luksfit import install


@pytest.fixture
def luksfit(monkeypatch):
    return install(monkeypatch)
