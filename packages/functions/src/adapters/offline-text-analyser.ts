import { PermanentJobError } from '@security-assistant/layer-common';
import {
  DEFAULT_VOCABULARY,
  readComponents,
  readingWarnings,
  type TagVocabulary,
} from '../domain/components';
import type { AnalysisResult, DrawingAnalyser, DrawingInput } from '../ports';

/**
 * Reads components from the drawing's text layer with the tag grammar of
 * `COMPONENT_GRAMMAR`: tags alone (`CR-01`) or after their keyword (`CARD READER CR-01`),
 * typed by the vocabulary and any legend on the drawing, each with its places. Used locally,
 * in tests and by every deployment without a model key: no network.
 * A drawing with no text at all (a scan, or text converted to outlines) cannot be read
 * this way: the job fails with `NO_TEXT_LAYER` instead of completing empty.
 */
export class OfflineTextAnalyser implements DrawingAnalyser {
  constructor(private readonly vocabulary: TagVocabulary = DEFAULT_VOCABULARY) {}

  async analyse(input: DrawingInput): Promise<AnalysisResult> {
    if (!input.lines.some((line) => line.words.length > 0)) {
      throw new PermanentJobError(
        'NO_TEXT_LAYER',
        'the drawing has no text layer (a scan, or text drawn as outlines); the offline ' +
          'analyser reads only text. Use the gemini analyser, which reads the drawing itself',
      );
    }
    const reading = readComponents(input.lines, this.vocabulary);
    const warnings = readingWarnings(reading);
    return { components: reading.components, ...(warnings.length ? { warnings } : {}) };
  }
}
