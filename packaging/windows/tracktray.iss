; Inno Setup 6 script for the Windows one-folder bundle (per-user, no administrator).
;
;   iscc /DVersion=0.1.0 /DBundle=build\dist\tracktray /DIcons=build\icons ^
;        /O dist packaging\windows\tracktray.iss
;
; Makes dist\tracktray-<version>-windows-x64-setup.exe. The same file updates an
; installed copy: the widget's updater runs it with
;   /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /CLOSEAPPLICATIONS /RELAUNCH
; after the person agreed and quit, and the [Run] entry below starts the new version.

#ifndef Version
  #error Pass /DVersion=<x.y.z> (tracktray.__version__)
#endif
#ifndef Bundle
  #define Bundle "..\..\build\dist\tracktray"
#endif
#ifndef Icons
  #define Icons "..\..\build\icons"
#endif

[Setup]
AppId={{6E0C2B1A-4F0E-4B7E-9C55-7A1F2D1E6C11}
AppName=TrackTray
AppVersion={#Version}
AppVerName=TrackTray {#Version}
AppPublisher=The tracktray developers
VersionInfoVersion={#Version}
VersionInfoProductName=TrackTray
VersionInfoDescription=TrackTray setup
; per-user: installs under %LOCALAPPDATA%\Programs, no UAC prompt
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\TrackTray
DefaultGroupName=TrackTray
DisableProgramGroupPage=yes
UninstallDisplayIcon={app}\tracktray.exe
SetupIconFile={#Icons}\tracktray.ico
OutputBaseFilename=tracktray-{#Version}-windows-x64-setup
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no

[Tasks]
Name: "autostart"; Description: "Start TrackTray when I sign in to Windows"; GroupDescription: "Start-up:"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; tells the app it was installed by this setup (tracktray.installation)
Source: "install-kind-inno"; DestDir: "{app}"; DestName: "install-kind"; Flags: ignoreversion

[InstallDelete]
; an update replaces the bundle whole: no stale module of an older version stays behind
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\TrackTray"; Filename: "{app}\tracktray.exe"
Name: "{group}\Uninstall TrackTray"; Filename: "{uninstallexe}"

[Registry]
; the same value the app's Settings ▸ Start at login writes (desktop/autostart.py)
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; \
  ValueName: "tracktray"; ValueData: """{app}\tracktray.exe"""; Flags: uninsdeletevalue; \
  Tasks: autostart

[Run]
Filename: "{app}\tracktray.exe"; Description: "Start TrackTray now"; \
  Flags: nowait postinstall skipifsilent
Filename: "{app}\tracktray.exe"; Flags: nowait; Check: Relaunch

[UninstallRun]
Filename: "taskkill"; Parameters: "/IM tracktray.exe /F"; Flags: runhidden; RunOnceId: "StopWidget"

[Code]
// /RELAUNCH: the widget's updater asked to start the new version after a silent update.
function Relaunch: Boolean;
begin
  Result := WizardSilent and (Pos('/RELAUNCH', Uppercase(GetCmdTail)) > 0);
end;
