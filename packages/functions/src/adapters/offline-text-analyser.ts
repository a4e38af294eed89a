import { PermanentJobError } from '@security-assistant/layer-common';
import { findComponents } from '../domain/components';
import type { AnalysisResult, DrawingAnalyser, DrawingInput } from '../ports';

/**
 * Reads components from the drawing's text layer with the label grammar of
 * `COMPONENT_GRAMMAR` (e.g. `CARD READER CR-01`). Used locally and in tests: no network.
 * A drawing with no text at all (a scan, or text converted to outlines) cannot be read
 * this way: the job fails with `NO_TEXT_LAYER` instead of completing empty.
 */
export class OfflineTextAnalyser implements DrawingAnalyser {
  async analyse(input: DrawingInput): Promise<AnalysisResult> {
    if (!input.text.some((line) => line.trim() !== '')) {
      throw new PermanentJobError(
        'NO_TEXT_LAYER',
        'the drawing has no text layer (a scan, or text drawn as outlines); the offline ' +
          'analyser reads only text. Use the gemini analyser, which reads the drawing itself',
      );
    }
    return { components: findComponents(input.text.join('\n')) };
  }
}
