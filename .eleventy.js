// Eleventy configuration: wires the site plugin; everything else lives in src/.
import sitePlugin from './src/render/site/plugin.ts';

export default function (eleventyConfig) {
  eleventyConfig.addPlugin(sitePlugin);
  return {
    dir: { input: 'templates', includes: '_includes' },
    templateFormats: ['njk'],
    htmlTemplateEngine: 'njk',
  };
}
