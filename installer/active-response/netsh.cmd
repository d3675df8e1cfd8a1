@echo off
:: Blocks (add) or unblocks (delete) a source IP with a Windows Firewall rule.
::   netsh.cmd add^|delete ^<user^> ^<srcip^> [...]
setlocal EnableExtensions DisableDelayedExpansion
set "ACTION=%~1"
set "IP=%~3"
set "LOG=%~dp0..\..\active-response\active-responses.log"
echo %IP%| findstr /r /x "[0-9a-fA-F.:][0-9a-fA-F.:]*" >nul || exit /b 1
set "RULE=OSSEC block %IP%"
if /i "%ACTION%"=="add" (
  netsh advfirewall firewall add rule name="%RULE%" dir=in action=block remoteip=%IP% >nul
) else if /i "%ACTION%"=="delete" (
  netsh advfirewall firewall delete rule name="%RULE%" >nul
) else exit /b 1
echo %DATE% %TIME% netsh.cmd %ACTION% %IP%>> "%LOG%"
