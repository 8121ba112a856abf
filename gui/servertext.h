#pragma once

#include <QString>

namespace twbench {

// Makes text that came from a server (prompts, banners, host names it echoed) safe to show:
// control and bidirectional-format characters become visible escapes (\x1b, \u202e) so they
// can neither move the cursor of a terminal that copies it nor reorder what the operator reads,
// and the length is capped. Line breaks survive only when `keepNewlines`. Always show the
// result with Qt::PlainText.
QString escapeServerText(const QString &text, bool keepNewlines = false, int maxChars = 2000);

} // namespace twbench
