# Fails when a file of a layer includes a Qt module that layer may not use. The compiler
# already refuses <QWidget> in model/ (no QtWidgets include path), but <QtWidgets/QWidget>
# resolves through Qt's include root, so the rule is also checked here, as a test.
#   cmake -DLAYER_DIR=<dir> -DFORBIDDEN="QtWidgets;QtGui" -P CheckLayering.cmake
file(GLOB_RECURSE layer_files "${LAYER_DIR}/*.cpp" "${LAYER_DIR}/*.h")
set(violations "")
foreach(source IN LISTS layer_files)
    file(STRINGS "${source}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
    foreach(line IN LISTS includes)
        foreach(module IN LISTS FORBIDDEN)
            if(line MATCHES "[<\"/]${module}/" OR line MATCHES "[<\"]${module}[>\"]")
                string(APPEND violations "${source}: ${line}\n")
            endif()
        endforeach()
    endforeach()
endforeach()
if(violations)
    message(FATAL_ERROR "Layering violations:\n${violations}")
endif()
list(LENGTH layer_files checked)
message(STATUS "${LAYER_DIR}: ${checked} files, no include of ${FORBIDDEN}")
