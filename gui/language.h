#pragma once

#include <QCoreApplication>
#include <QLocale>
#include <QString>

#include <cstdint>

namespace twbench {

// The language twbench speaks: the system's by default, or one the operator picked in
// View → Language (remembered in the settings, "ui/language"). Applying one replaces the
// translators of Qt's own strings (dialog buttons) and of twbench's, and makes its locale the
// default, so numbers and dates follow it too. Every widget then gets QEvent::LanguageChange;
// MainWindow rebuilds itself on it, so the switch is live.
class Language final
{
    Q_DECLARE_TR_FUNCTIONS(twbench::Language)

public:
    enum class Choice : std::uint8_t { System, English, SimplifiedChinese };

    // Installs the translators of `choice`; System means `system` (QLocale::system() unless a
    // test says otherwise). Safe to call again: the previous translators go.
    static void apply(Choice choice, const QLocale &system = QLocale::system());
    static Choice current();

    // The remembered choice (System when none, or an unknown value).
    static Choice saved();
    static void save(Choice choice);

    // The locale a choice stands for.
    static QLocale localeFor(Choice choice, const QLocale &system = QLocale::system());
    // What the menu shows: "System" translated, each language in its own name ("English",
    // "简体中文"), so an operator lost in a language they cannot read still finds their own.
    static QString menuText(Choice choice);
    // The settings' word for a choice ("system", "en", "zh_CN").
    static QString key(Choice choice);
};

} // namespace twbench
