#include "lab/testmain.h"

int main(int argc, char **argv)
{
    return twbench::test::runTests(argc, argv, twbench::test::AppKind::Core);
}
