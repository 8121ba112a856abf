#include "testmain.h"

#include <QApplication>
#include <QCoreApplication>

#include <gtest/gtest.h>

#include <memory>

// Sanitizer defaults compiled into every test binary, so `ctest`, a bare `./test_model` and a
// debugger all run with the same checks. The suppressions name only third-party libraries whose
// one-time allocations live until exit: as in the twbench executable
// (cmake/sanitizer_defaults.cpp), OpenSSL's per-thread error state, which a libssh worker thread
// that saw an error (a failed login) leaves behind because libssh never calls OPENSSL_thread_stop
// (seen once in CI: KeychainFlow.FailedLoginDiscardsTheTypedPassword, 904 bytes from
// CRYPTO_zalloc).
extern "C" const char *__asan_default_options()
{
    return "detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1";
}
extern "C" const char *__ubsan_default_options()
{
    return "print_stacktrace=1:halt_on_error=1";
}
extern "C" const char *__lsan_default_suppressions()
{
    return "leak:libcrypto.so\n"
           "leak:libfontconfig.so\n"
           "leak:libdbus-1.so\n"
           "leak:libglib-2.0.so\n";
}

namespace twbench::test {

int runTests(int argc, char **argv, AppKind kind)
{
    ::testing::InitGoogleTest(&argc, argv);
    std::unique_ptr<QCoreApplication> app;
    if (kind == AppKind::Gui) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        app = std::make_unique<QApplication>(argc, argv);
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    return RUN_ALL_TESTS();
}

} // namespace twbench::test
