// Compiled into the twbench executable only when TWBENCH_SANITIZE is on (gui/CMakeLists.txt):
// the tests run the real executable (twbench diagnose), and it must exit the way a test binary
// does under LeakSanitizer. The suppressions name only third-party libraries whose one-time
// allocations live until exit: OpenSSL's per-thread error state (libssh's workers end without
// OPENSSL_thread_stop), fontconfig, D-Bus and GLib, as in tests/lab/testmain.cpp.
extern "C" const char *__lsan_default_suppressions()
{
    return "leak:libcrypto.so\n"
           "leak:libfontconfig.so\n"
           "leak:libdbus-1.so\n"
           "leak:libglib-2.0.so\n";
}
// Quiet about the suppressions it used: the CLI's last stderr line is its reason for exiting.
extern "C" const char *__lsan_default_options()
{
    return "print_suppressions=0";
}
