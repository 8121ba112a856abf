# Fails when the committed translation is behind the sources: a tr() text that lupdate finds but
# the .ts does not translate (unfinished), or a translated text the sources no longer have
# (vanished: often a context lupdate guessed differently from the one the code asks for).
# Runs lupdate on a copy, so the source tree is never modified.
#   cmake -DLUPDATE=<lupdate> -DPROJECT_IN=<twbench_gui_project.cmake> -DWORK_DIR=<dir>
#         -DTS_FILE=<translations/x.ts> -P CheckTranslations.cmake
file(MAKE_DIRECTORY "${WORK_DIR}")
set(project_json "${WORK_DIR}/project.json")
execute_process(COMMAND "${CMAKE_COMMAND}" -DIN_FILE=${PROJECT_IN} -DOUT_FILE=${project_json}
                        -P "${GENERATOR_SCRIPT}"
                RESULT_VARIABLE generated)
if(NOT generated EQUAL 0)
    message(FATAL_ERROR "could not generate the lupdate project from ${PROJECT_IN}")
endif()
get_filename_component(ts_name "${TS_FILE}" NAME)
set(copy "${WORK_DIR}/${ts_name}")
configure_file("${TS_FILE}" "${copy}" COPYONLY)
execute_process(COMMAND "${LUPDATE}" -project "${project_json}" -ts "${copy}" -locations none
                RESULT_VARIABLE updated OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(NOT updated EQUAL 0)
    message(FATAL_ERROR "lupdate failed:\n${output}")
endif()
file(READ "${copy}" ts)
string(REGEX MATCHALL "<source>[^<]*</source>[^<]*(<comment>[^<]*</comment>[^<]*)?<translation type=\"unfinished\"" unfinished "${ts}")
string(REGEX MATCHALL "<source>[^<]*</source>[^<]*(<comment>[^<]*</comment>[^<]*)?<translation type=\"(vanished|obsolete)\"" vanished "${ts}")
list(LENGTH unfinished unfinished_count)
list(LENGTH vanished vanished_count)
if(unfinished_count GREATER 0 OR vanished_count GREATER 0)
    string(REPLACE ";" "\n" unfinished_list "${unfinished}")
    string(REPLACE ";" "\n" vanished_list "${vanished}")
    message(FATAL_ERROR "${ts_name}: ${unfinished_count} untranslated, ${vanished_count} vanished.\n"
        "Run the twbench_gui_lupdate target, translate, and commit the .ts.\n"
        "${unfinished_list}\n${vanished_list}")
endif()
message(STATUS "${ts_name}: every text the sources mark is translated, none vanished")
