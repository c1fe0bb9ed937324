#!/bin/bash
# deb postrm (electron-builder.json deb.afterRemove): electron-builder's own after-remove.tpl, verbatim
# (test/installer-layout.test.ts checks it still is), then the udev rule is removed.

# Delete the link to the binary
# update-alternatives --remove <name> <path>: 'path' must be the registered alternative binary,
# not the generic symlink — see https://man7.org/linux/man-pages/man1/update-alternatives.1.html
if type update-alternatives >/dev/null 2>&1; then
    update-alternatives --remove '${executable}' '/opt/${sanitizedProductName}/${executable}'
else
    rm -f '/usr/bin/${executable}'
fi

APPARMOR_PROFILE_DEST='/etc/apparmor.d/${executable}'

# Remove and unload apparmor profile.
if [ -f "$APPARMOR_PROFILE_DEST" ]; then
  # Unload the profile from the running kernel before deleting the file so the
  # policy is not left enforced until the next reboot.  Mirror the chroot guard
  # used in the after-install script — live AppArmor operations are not
  # meaningful inside a chroot.
  # https://wiki.debian.org/AppArmor/HowToUse
  if apparmor_status --enabled > /dev/null 2>&1; then
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --remove "$APPARMOR_PROFILE_DEST" || true
    fi
  fi
  rm -f "$APPARMOR_PROFILE_DEST"
fi

# --- yibao-station: the udev rule goes with the package; the yibao group stays (accounts may still be in it) ---
rm -f /usr/lib/udev/rules.d/99-yibao-station.rules
if hash udevadm 2>/dev/null && ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; }; then
    udevadm control --reload-rules || true
fi
