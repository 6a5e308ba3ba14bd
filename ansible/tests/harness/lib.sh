# shellcheck shell=bash
# Shared by the ansible suite's tests: the host suite's helpers (checks, skip, cleanup), the
# collection built and installed into the test's own folder, and Ansible kept inside it.
: "${LUKSFIT_SOURCE_ROOT:?LUKSFIT_SOURCE_ROOT must point to the source tree}"
# shellcheck source-path=SCRIPTDIR source=../../../tests/host/lib.sh
. "$LUKSFIT_SOURCE_ROOT/tests/host/lib.sh"

# Debian's python and tools only (a python shim earlier on PATH would run the modules);
# ANSIBLE_BIN_DIR puts another ansible-core's commands first (e.g. trixie's, unpacked).
export PATH="${ANSIBLE_BIN_DIR:+$ANSIBLE_BIN_DIR:}/usr/sbin:/usr/bin:/sbin:/bin"
COLLECTION_SRC="$LUKSFIT_SOURCE_ROOT/ansible"

# Ansible writes nothing outside WORKDIR and reads no configuration of this machine.
ansible_env() {
	mkdir -p "$WORKDIR/ansible-home" "$WORKDIR/home"
	export HOME="$WORKDIR/home" # ansible-test keeps its state in ~/.ansible/test
	: >"$WORKDIR/ansible.cfg"
	export ANSIBLE_CONFIG="$WORKDIR/ansible.cfg" ANSIBLE_HOME="$WORKDIR/ansible-home"
	export ANSIBLE_LOCAL_TEMP="$WORKDIR/ansible-home/tmp" ANSIBLE_REMOTE_TEMP="$WORKDIR/ansible-home/remote"
	export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
	export ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0
}

# install_collection: builds the collection (ansible-galaxy collection build) and installs the
# tarball into WORKDIR/collections; sets COLLECTION to the installed copy.
install_collection() {
	need_cmd ansible-galaxy ansible-playbook
	ansible_env
	export ANSIBLE_COLLECTIONS_PATH="$WORKDIR/collections" ANSIBLE_COLLECTIONS_PATHS="$WORKDIR/collections"
	ansible-galaxy collection build --output-path "$WORKDIR/dist" "$COLLECTION_SRC" >/dev/null
	ansible-galaxy collection install -p "$WORKDIR/collections" \
		"$WORKDIR"/dist/luksfit-luksfit-*.tar.gz >/dev/null
	export COLLECTION="$WORKDIR/collections/ansible_collections/luksfit/luksfit"
}

# recap HOST FIELD FILE: a field (ok, changed, failed...) of HOST's line in a play recap.
recap() {
	sed -n "s/^$1 *: .*[[:space:]]$2=\([0-9]*\).*/\1/p" "$3" | tail -n1
}
