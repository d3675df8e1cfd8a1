@echo off
:: Restarts the agent service (agent_control -R on the manager).
setlocal EnableExtensions
if /i not "%~1"=="add" exit /b 0
echo %DATE% %TIME% restart-ossec.cmd>> "%~dp0..\..\active-response\active-responses.log"
start "" /b cmd /d /c "net stop OssecSvc & net start OssecSvc"
