# The OSSEC agent home: cmake --install build --prefix DIR lays it out
# under DIR. Programs find their home from their own location, so any
# prefix works; /var/ossec is the packaged default.
if(CMAKE_INSTALL_PREFIX_INITIALIZED_TO_DEFAULT)
  set(CMAKE_INSTALL_PREFIX "/var/ossec" CACHE PATH "Agent home" FORCE)
endif()

install(TARGETS ${AGENT_PROGRAMS} RUNTIME DESTINATION bin)
if(NOT WIN32)
  install(PROGRAMS scripts/ossec-control DESTINATION bin)
endif()

install(FILES config/ossec.conf config/internal_options.conf DESTINATION etc
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
# An empty key file, created only when none exists, so an install over an
# existing home keeps the agent's identity.
install(CODE "
  set(keys \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/etc/client.keys\")
  if(NOT EXISTS \"\${keys}\")
    file(WRITE \"\${keys}\" \"\")
    file(CHMOD \"\${keys}\" PERMISSIONS OWNER_READ OWNER_WRITE)
  endif()
")
foreach(dir etc/shared logs queue/ossec queue/rids queue/alerts queue/diff
            active-response/bin var/run)
  install(DIRECTORY DESTINATION ${dir})
endforeach()

# The stock active-response scripts, with OSSEC's argument conventions.
if(WIN32)
  install(PROGRAMS installer/active-response/netsh.cmd
                   installer/active-response/route-null.cmd
                   installer/active-response/restart-ossec.cmd
          DESTINATION active-response/bin)
else()
  install(PROGRAMS installer/active-response/firewall-drop.sh
                   installer/active-response/host-deny.sh
                   installer/active-response/disable-account.sh
                   installer/active-response/restart-ossec.sh
          DESTINATION active-response/bin)
endif()
