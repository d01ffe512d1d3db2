#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Download the pinned base .deb into DIR from Debian's $BASE_SUITE suite.
#
# Uses a private apt configuration (its own sources list, lists and pin) so the
# system's apt never sees that suite: nothing is installed, nothing upgraded.
# The mirror is the one the system's own Debian sources already use.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

dir=${1:?usage: fetch-base-deb.sh DIR}

system_mirror() {
	local uri
	# shellcheck disable=SC2016 # apt's own format string
	uri=$(apt-get indextargets --format '$(REPO_URI)' 'Origin: Debian' 2>/dev/null |
		grep -v -- '-security' | head -n 1)
	[ -n "$uri" ] || die "no Debian apt source configured on this machine"
	echo "${uri%/}"
}

apt=$dir/apt
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/preferences.d"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(system_mirror) $BASE_SUITE main" \
	>"$apt/sources.list"
printf 'Package: *\nPin: release a=%s\nPin-Priority: -1\n' "$BASE_SUITE" >"$apt/preferences"
opts=(-o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=$apt/none"
	-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
	-o "Dir::Etc::Preferences=$apt/preferences" -o "Dir::Etc::PreferencesParts=$apt/preferences.d")

log "fetching $BASE_PKG=$BASE_VERSION from Debian $BASE_SUITE"
apt-get "${opts[@]}" -qq update
(cd "$apt" && apt-get "${opts[@]}" -qq download "$BASE_PKG=$BASE_VERSION")
# apt names the file with the version URL-encoded (%7e for ~).
for f in "$apt/${BASE_PKG}"_*.deb; do
	if [ -f "$f" ]; then mv "$f" "$dir/$BASE_DEB_NAME"; fi
done
[ -f "$dir/$BASE_DEB_NAME" ] || die "apt did not produce $dir/$BASE_DEB_NAME"
