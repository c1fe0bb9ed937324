; Included by electron-builder's NSIS script (electron-builder.json, nsis.include).
; Electron 45 runs on 64-bit Windows 10 and later only; the station is supported from Windows 10 1809
; (build 17763, the LTSC 2019 base many hospitals run). An older Windows gets a Chinese message and no install,
; instead of an app that fails at its first start.
!macro customInit
  ReadRegStr $0 HKLM "SOFTWARE\Microsoft\Windows NT\CurrentVersion" "CurrentBuildNumber"
  IntCmp $0 17763 windowsOk windowsTooOld windowsOk
  windowsTooOld:
    MessageBox MB_OK|MB_ICONSTOP "医保结算工作站需要 64 位 Windows 10 1809（内部版本 17763）或更高版本、Windows 11。$\r$\n本机 Windows 内部版本为 $0，无法安装。请联系医院信息科升级操作系统。" /SD IDOK
    Quit
  windowsOk:
!macroend
