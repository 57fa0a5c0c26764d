<?php
// What a YesWiki Bazar does to a field's text before storing it, for the test wiki
// (tests/support/bazar.py). Written for Ardoise after reading YesWiki 4.4.4's code; none of it is
// copied. It uses Debian's php-htmlpurifier, the library YesWiki itself ships (vendor/ezyang).
//
// Matched in YesWiki 4.4.4 ("doryphore"):
// - includes/services/HtmlPurifierService.php, cleanHTML (lines 38-63): the purifier's default
//   configuration, plus Attr.AllowedFrameTargets = _blank, _parent, _top and a serializer cache
//   folder (the cache changes no output); skipped when htmlPurifierActivated is false (it is
//   true by default, as here).
// - tools/bazar/fields/TextareaField.php, formatValuesBeforeSave (lines 110-125) and
//   sanitizeHTMLInWikiCode (lines 317-322): a long text in wiki syntax has `@@` set aside as
//   `\@\@\`, its `""` (raw blocks) turned into `@@`, is purified, then has `""` turned into `''`,
//   `@@` back into `""` and `\@\@\` back into `@@`. (sanitizeAttach, which runs first, only
//   rewrites `{{attach … file="<temporary tag>_…"}}` of files uploaded with the form.)
// - tools/bazar/fields/TextField.php, formatValuesBeforeSave (lines 68-77): a short text
//   (the title) is purified.
//
// Input (stdin): a JSON list of [kind, text] with kind "wiki" (long text in wiki syntax) or
// "text" (short text). Output (stdout): the JSON list of the stored texts, in the same order.

declare(strict_types=1);

// The library's deprecation notices (PHP 8.2) are not our output.
error_reporting(E_ALL & ~E_DEPRECATED);
ini_set('display_errors', 'stderr');

require_once 'HTMLPurifier.auto.php';

// This script's files: the purifier's definition cache, and the copies below.
$ardoise_work = sys_get_temp_dir() . '/ardoise-htmlpurifier-' . posix_geteuid();

// Debian 12's php-htmlpurifier (4.11.0) still reads string offsets as `$s{0}` in three files
// (Encoder.php, ChildDef/Custom.php, TagTransform/Font.php), a syntax PHP 8 no longer compiles:
// loading them stops PHP. Those files are loaded here with only that syntax written as `$s[0]`
// (what the library's later releases did), from a copy in a temporary folder; every other file,
// and the logic of these, is Debian's as installed.
spl_autoload_register(static function (string $class) use ($ardoise_work): void {
    $file = HTMLPurifier_Bootstrap::getPath($class);
    if ($file === false) {
        return;
    }
    $code = (string) file_get_contents(HTMLPURIFIER_PREFIX . '/' . $file);
    $modern = preg_replace('/(\$\w+(?:\[\'\w+\'\])?)\{(\$?\w+)\}/', '$1[$2]', $code);
    if ($modern === $code) {
        return; // left to the library's own autoloader
    }
    $copy = $ardoise_work . '/php8/' . $file;
    if (!is_dir(dirname($copy))) {
        mkdir(dirname($copy), 0700, true);
    }
    if (!is_file($copy) || file_get_contents($copy) !== $modern) {
        file_put_contents($copy, $modern);
    }
    require $copy;
}, true, true);

function ardoise_purifier(string $work): HTMLPurifier
{
    $config = HTMLPurifier_Config::createDefault();
    $config->set('Attr.AllowedFrameTargets', ['_blank', '_parent', '_top']);
    $cache = $work . '/cache';
    if (!is_dir($cache)) {
        mkdir($cache, 0700, true);
    }
    $config->set('Cache.SerializerPath', $cache);
    return new HTMLPurifier($config);
}

function ardoise_store_wiki_text(HTMLPurifier $purifier, string $value): string
{
    $set_aside = str_replace(['@@', '""'], ['\\@\\@\\', '@@'], $value);
    $purified = $purifier->purify($set_aside);
    return str_replace(['""', '@@', '\\@\\@\\'], ["''", '""', '@@'], $purified);
}

function ardoise_store_short_text(HTMLPurifier $purifier, string $value): string
{
    return $purifier->purify($value);
}

$input = json_decode((string) stream_get_contents(STDIN), true, 512, JSON_THROW_ON_ERROR);
$purifier = ardoise_purifier($ardoise_work);
$output = [];
foreach ($input as [$kind, $text]) {
    $output[] = $kind === 'wiki'
        ? ardoise_store_wiki_text($purifier, $text)
        : ardoise_store_short_text($purifier, $text);
}
echo json_encode($output, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE);
