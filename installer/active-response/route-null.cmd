@echo off
:: Null-routes (add) or restores (delete) a source IP.
::   route-null.cmd add^|delete ^<user^> ^<srcip^> [...]
setlocal EnableExtensions DisableDelayedExpansion
set "ACTION=%~1"
set "IP=%~3"
set "LOG=%~dp0..\..\active-response\active-responses.log"
echo %IP%| findstr /r /x "[0-9.][0-9.]*" >nul || exit /b 1
if /i "%ACTION%"=="add" (
  route -p ADD %IP% MASK 255.255.255.255 127.0.0.1 >nul
) else if /i "%ACTION%"=="delete" (
  route DELETE %IP% >nul
) else exit /b 1
echo %DATE% %TIME% route-null.cmd %ACTION% %IP%>> "%LOG%"
